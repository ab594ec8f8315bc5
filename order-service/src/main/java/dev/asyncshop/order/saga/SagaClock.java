package dev.asyncshop.order.saga;

import java.time.Instant;

/**
 * Saga time: what a step's deadline is set on and expires on. It runs with the wall clock while
 * order-service can reach its brokers, and stands still while it cannot, and while no instance
 * runs; so the time another service has to answer is counted only while its answer could arrive. A
 * service that is really gone still times out on schedule; an outage of the brokers, or a restart
 * of order-service, cancels nothing.
 */
public interface SagaClock {

  /** Saga time now, to set a deadline on; never ahead of the wall clock. */
  Instant now();
}
