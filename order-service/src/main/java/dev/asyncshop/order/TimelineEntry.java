package dev.asyncshop.order;

import java.time.Instant;

/**
 * One saga step of an order.
 *
 * @param status the order's status after the step; a late answer to an ended order leaves it as it
 *     was
 * @param detail what happened, for people
 */
public record TimelineEntry(OrderStatus status, Instant at, String detail) {}
