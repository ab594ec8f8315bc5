package dev.asyncshop.messaging.internal.breaker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code messaging.circuit-breaker.*}: when a subscription stops taking messages
 * because its handler keeps finding a dependency unavailable ({@code messaging.retry.unavailable}),
 * and when it tries again. One breaker per subscription (transport, destination and consumer
 * group). A message counts once it has left the pipeline: a failure when its retries were spent on
 * an unavailable dependency and it went back to the broker; a success when its handler ran; not at
 * all when it was a duplicate, an event nobody here handles, or a failure of any other kind (those
 * say nothing about the dependency).
 *
 * @param enabled give every subscription a breaker; off, a handler whose dependency is down keeps
 *     taking messages and giving them back, as before
 * @param failureRateThreshold the share of the last {@code sliding-window-size} messages, in
 *     percent, that found a dependency unavailable at or above which the breaker opens
 * @param slidingWindowSize how many of the latest messages the failure rate is taken over
 * @param minimumNumberOfCalls how many messages must have counted before the failure rate is judged
 *     at all, so one failure after a restart opens nothing; at most {@code sliding-window-size}
 * @param waitInOpen how long the subscription takes no messages once its breaker opened, before it
 *     lets a trial message through (half-open): short enough that a dependency that is back is
 *     noticed soon, long enough that an outage costs a few trials rather than a stream of failures
 * @param permittedCallsInHalfOpen how many trial messages a half-open breaker lets through; when
 *     they have counted, it closes unless their failure rate reaches the threshold, and opens again
 *     if it does
 */
@ConfigurationProperties("messaging.circuit-breaker")
public record CircuitBreakerProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("50") float failureRateThreshold,
    @DefaultValue("10") int slidingWindowSize,
    @DefaultValue("5") int minimumNumberOfCalls,
    @DefaultValue("10s") Duration waitInOpen,
    @DefaultValue("1") int permittedCallsInHalfOpen) {

  /**
   * @throws IllegalArgumentException for settings no breaker can work with, saying which and what
   *     to set instead
   */
  public CircuitBreakerProperties {
    if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
      throw new IllegalArgumentException(
          ("messaging.circuit-breaker.failure-rate-threshold is %s, but it is a percentage: set it"
                  + " above 0 and at most 100 (50 opens the breaker once half the recent messages"
                  + " found a dependency unavailable).")
              .formatted(failureRateThreshold));
    }
    if (slidingWindowSize < 1) {
      throw new IllegalArgumentException(
          ("messaging.circuit-breaker.sliding-window-size is %d; set it to the number of recent"
                  + " messages to judge, at least 1.")
              .formatted(slidingWindowSize));
    }
    if (minimumNumberOfCalls < 1 || minimumNumberOfCalls > slidingWindowSize) {
      throw new IllegalArgumentException(
          ("messaging.circuit-breaker.minimum-number-of-calls is %d; set it between 1 and"
                  + " sliding-window-size (%d), or raise the window.")
              .formatted(minimumNumberOfCalls, slidingWindowSize));
    }
    if (waitInOpen.isNegative() || waitInOpen.isZero()) {
      throw new IllegalArgumentException(
          ("messaging.circuit-breaker.wait-in-open is %s; set how long a paused consumer waits"
                  + " before its trial message, such as 10s. To never pause, set"
                  + " messaging.circuit-breaker.enabled=false.")
              .formatted(waitInOpen));
    }
    if (permittedCallsInHalfOpen < 1) {
      throw new IllegalArgumentException(
          ("messaging.circuit-breaker.permitted-calls-in-half-open is %d; at least one trial"
                  + " message is needed to find out whether the dependency is back.")
              .formatted(permittedCallsInHalfOpen));
    }
  }
}
