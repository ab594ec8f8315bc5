package dev.asyncshop.order;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Another writer extended an order's stream after it was loaded, so the step was decided on a stale
 * order and is not stored. The transaction is rolled back; the message that led to the step is
 * handled again, from the order as it now is.
 */
public class ConcurrentOrderChangeException extends RuntimeException {

  ConcurrentOrderChangeException(UUID orderId, int version, @Nullable Throwable cause) {
    super(
        "Order %s already has an event at version %d: it changed since it was loaded"
            .formatted(orderId, version),
        cause);
  }
}
