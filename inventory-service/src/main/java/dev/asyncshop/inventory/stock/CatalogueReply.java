package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.util.List;

/** The answer to a {@link CatalogueQuery}: the products found and the SKUs that are not sold. */
@MessageType("inventory.catalogue.reply.v1")
record CatalogueReply(List<Entry> products, List<String> unknownSkus) {

  record Entry(
      String sku, String name, BigDecimal unitPrice, String currency, BigDecimal weightKg) {}
}
