package dev.asyncshop.order.placement;

/**
 * An Idempotency-Key came back with a different body than the order it first placed. The message
 * does not name that order: keys are not tied to a customer, so it may be someone else's.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

  public IdempotencyKeyReusedException() {
    super("This Idempotency-Key was used with a different body; use a new key for a new order");
  }
}
