package dev.asyncshop.order.placement;

import dev.asyncshop.order.OrderView;

/**
 * The outcome of placing an order.
 *
 * @param order the order as clients see it right after it was placed (or now, when replayed)
 * @param replayed the order was placed earlier with the same idempotency key and body
 */
public record Placement(OrderView order, boolean replayed) {}
