package dev.asyncshop.order;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One product of an order, priced and weighed by the catalogue when the order was placed.
 *
 * @param unitPrice in the order's currency
 * @param weightKg of one unit
 */
public record OrderLine(
    String sku, String name, int quantity, BigDecimal unitPrice, BigDecimal weightKg) {

  public BigDecimal total() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.HALF_UP);
  }

  public BigDecimal totalWeightKg() {
    return weightKg.multiply(BigDecimal.valueOf(quantity));
  }
}
