package dev.asyncshop.payment.payments;

/** No payment was ever attempted for this order. */
public class UnknownPaymentException extends RuntimeException {

  private final String orderId;

  public UnknownPaymentException(String orderId) {
    super("No payment for order " + orderId);
    this.orderId = orderId;
  }

  public String orderId() {
    return orderId;
  }
}
