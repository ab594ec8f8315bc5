package dev.asyncshop.inventory.stock.web;

import dev.asyncshop.inventory.stock.Product;
import java.math.BigDecimal;

/**
 * A product as the API shows it.
 *
 * @param stock units that can still be ordered
 */
record ProductView(
    String sku,
    String name,
    BigDecimal unitPrice,
    String currency,
    BigDecimal weightKg,
    int stock) {

  static ProductView of(Product product) {
    return new ProductView(
        product.sku(),
        product.name(),
        product.unitPrice(),
        product.currency(),
        product.weightKg(),
        product.stock());
  }
}
