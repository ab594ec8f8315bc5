package dev.asyncshop.order.placement;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The questions placement asks inventory and shipping, and their answers. */
final class PlacementQueries {

  private PlacementQueries() {}

  @MessageType("inventory.catalogue.v1")
  record CatalogueQuery(List<String> skus) {}

  @MessageType("inventory.catalogue.reply.v1")
  record CatalogueReply(@Nullable List<Product> products, @Nullable List<String> unknownSkus) {}

  record Product(
      String sku, String name, BigDecimal unitPrice, String currency, BigDecimal weightKg) {}

  @MessageType("shipping.quote.v1")
  record ShippingQuoteQuery(String country, BigDecimal weightKg) {}

  @MessageType("shipping.quote.reply.v1")
  record ShippingQuote(BigDecimal price, String currency, int etaDays) {}
}
