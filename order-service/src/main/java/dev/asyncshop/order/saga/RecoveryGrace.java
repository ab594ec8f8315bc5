package dev.asyncshop.order.saga;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether this instance has reached its brokers without a break for long enough to move saga time
 * again. After an outage the answers the other services could not send wait in their outboxes, and
 * this service's consumers are behind; the grace lets them drain before the deadlines run on.
 */
final class RecoveryGrace {

  private final Duration grace;
  private @Nullable Instant connectedSince;

  RecoveryGrace(Duration grace) {
    this.grace = grace;
  }

  /**
   * @param connected whether the instance reaches its brokers now
   * @return whether it has without a break since at least the grace ago
   */
  synchronized boolean over(boolean connected, Instant now) {
    if (!connected) {
      connectedSince = null;
      return false;
    }
    if (connectedSince == null) {
      connectedSince = now;
    }
    return !now.isBefore(connectedSince.plus(grace));
  }

  /** Something the saga needs failed (its database): the grace starts again once it is back. */
  synchronized void interrupted() {
    connectedSince = null;
  }
}
