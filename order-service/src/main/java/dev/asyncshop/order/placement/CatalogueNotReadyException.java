package dev.asyncshop.order.placement;

/**
 * This instance's catalogue has not yet read every product its topic held when the instance
 * started, so it cannot price an order; nothing was stored. The instance is not ready either, so
 * the client is best sent elsewhere, or may try again shortly.
 */
public class CatalogueNotReadyException extends RuntimeException {

  private final int retryAfterSeconds;

  public CatalogueNotReadyException(int retryAfterSeconds) {
    super(
        "The catalogue of this instance is still loading; try again in %d s."
            .formatted(retryAfterSeconds));
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** How long the client should wait before it tries again. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
