package dev.asyncshop.order.saga;

import java.time.Duration;
import java.time.Instant;

/**
 * The one row of {@code saga_clock}, and the rule that moves it.
 *
 * @param sagaTime saga time at the last tick
 * @param tickedAt the database's time of day at the last tick
 */
record SagaClockRow(Instant sagaTime, Instant tickedAt) {

  /**
   * Saga time at {@code wall}, as a tick now would set it: the time since the last tick, but at
   * most {@code maxStep}. The time between two ticks further apart than that is an outage or a stop
   * (nobody ticked), which saga time skips.
   */
  Instant sagaTimeAt(Instant wall, Duration maxStep) {
    Duration since = Duration.between(tickedAt, wall);
    if (since.isNegative()) {
      return sagaTime;
    }
    return sagaTime.plus(since.compareTo(maxStep) > 0 ? maxStep : since);
  }

  /**
   * The row after a tick at {@code wall}. The time of the last tick never moves back: instances
   * that tick side by side, each with a time read just before the other's, then count every moment
   * once, and a clock that was set back holds saga time still until it catches up.
   */
  SagaClockRow tick(Instant wall, Duration maxStep) {
    if (!wall.isAfter(tickedAt)) {
      return this;
    }
    return new SagaClockRow(sagaTimeAt(wall, maxStep), wall);
  }
}
