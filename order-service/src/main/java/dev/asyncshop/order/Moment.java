package dev.asyncshop.order;

import java.time.Instant;

/**
 * When something happens to an order, as the saga's two clocks read it. The timeline records the
 * wall clock, as people read it. Deadlines are set and expire on saga time, which stands still
 * while order-service cannot reach its brokers ({@link dev.asyncshop.order.saga.SagaClock}), so an
 * outage of the brokers between the services does not count against the time another service has to
 * answer.
 *
 * @param wall the time of day
 * @param saga saga time: behind the wall clock by the outages the saga clock sat out
 */
public record Moment(Instant wall, Instant saga) {

  /** A moment when both clocks read the same: no outage so far. */
  public static Moment at(Instant time) {
    return new Moment(time, time);
  }
}
