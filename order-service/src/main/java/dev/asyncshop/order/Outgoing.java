package dev.asyncshop.order;

/**
 * A message an order's transition sends. Written to the outbox in the transaction that stores the
 * transition, so the state and its messages commit together.
 */
public sealed interface Outgoing {

  Object message();

  /** For one other service, over its queue. */
  record Command(Object message) implements Outgoing {}

  /** For anyone who listens, on {@code orders.events}. */
  record Event(Object message) implements Outgoing {}
}
