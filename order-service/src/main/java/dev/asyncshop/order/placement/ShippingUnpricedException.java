package dev.asyncshop.order.placement;

/**
 * Shipping could be priced neither by a live quote nor by the published tariff; nothing was stored.
 * The message names why the quote failed.
 */
public class ShippingUnpricedException extends RuntimeException {

  private final int retryAfterSeconds;

  public ShippingUnpricedException(String message, int retryAfterSeconds, Throwable cause) {
    super(message, cause);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** How long the client should wait before it tries again. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
