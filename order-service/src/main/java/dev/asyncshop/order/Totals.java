package dev.asyncshop.order;

import java.math.BigDecimal;

/**
 * What the customer pays: the items plus shipping, in one currency.
 *
 * @param currency ISO 4217 code
 */
public record Totals(BigDecimal items, BigDecimal shipping, BigDecimal total, String currency) {}
