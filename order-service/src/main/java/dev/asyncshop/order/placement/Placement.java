package dev.asyncshop.order.placement;

import java.util.UUID;

/**
 * The outcome of placing an order.
 *
 * @param replayed the order was placed earlier with the same idempotency key and body
 */
public record Placement(UUID orderId, boolean replayed) {}
