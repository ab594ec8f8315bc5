package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/**
 * A product as it is now, keyed by its SKU on a compacted topic: the last one of each SKU is the
 * product's current state, and a reader that keeps a table of them needs nothing else.
 *
 * @param available units that can still be reserved
 */
@MessageType("inventory.product-state.v1")
record ProductState(
    String sku,
    String name,
    BigDecimal unitPrice,
    String currency,
    BigDecimal weightKg,
    int available) {

  static ProductState of(Product product) {
    return new ProductState(
        product.sku(),
        product.name(),
        product.unitPrice(),
        product.currency(),
        product.weightKg(),
        product.stock());
  }
}
