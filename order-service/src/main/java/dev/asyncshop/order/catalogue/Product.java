package dev.asyncshop.order.catalogue;

import java.math.BigDecimal;

/** A product of the local catalogue, as an order line is priced and weighed from it. */
public record Product(
    String sku, String name, BigDecimal unitPrice, String currency, BigDecimal weightKg) {}
