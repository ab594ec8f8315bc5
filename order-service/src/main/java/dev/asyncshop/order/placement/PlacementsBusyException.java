package dev.asyncshop.order.placement;

/**
 * This instance already has as many placements under way as it takes on; nothing was stored. The
 * client may try again shortly, here or on another instance.
 */
public class PlacementsBusyException extends RuntimeException {

  private final int retryAfterSeconds;

  public PlacementsBusyException(int maxInFlight, int retryAfterSeconds) {
    super(
        "This instance is placing %d orders already; try again in %d s."
            .formatted(maxInFlight, retryAfterSeconds));
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** How long the client should wait before it tries again. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
