package dev.asyncshop.inventory.stock;

import java.math.BigDecimal;

/**
 * A product of the catalogue.
 *
 * @param stock units that can still be reserved
 */
public record Product(
    String sku,
    String name,
    BigDecimal unitPrice,
    String currency,
    BigDecimal weightKg,
    int stock) {}
