package dev.asyncshop.order.placement;

/** Another service answered with something an order cannot be priced from; nothing was stored. */
public class InconsistentAnswerException extends RuntimeException {

  public InconsistentAnswerException(String detail) {
    super(detail);
  }
}
