package dev.asyncshop.order.reports;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one product sold in one hour: the orders placed in that hour, and how far they got.
 *
 * @param hour the hour the orders were placed in, UTC
 * @param orders orders with the product
 * @param unitsOrdered units in them
 * @param unitsShipped units of them shipped so far
 * @param unitsCancelled units of them in orders that ended unshipped (rejected or cancelled)
 * @param revenue what the shipped units sold for
 */
public record HourlySales(
    String sku,
    Instant hour,
    int orders,
    int unitsOrdered,
    int unitsShipped,
    int unitsCancelled,
    BigDecimal revenue) {}
