package dev.asyncshop.messaging.internal.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The consumers' circuit breakers as a health contributor ({@code messagingBreakers}): {@code UP}
 * while every breaker is closed, {@link #DEGRADED} while any is open or half-open, with each
 * breaker's state in the details. Degraded, not down: the service still serves its requests and its
 * other consumers, and a paused consumer catches up by itself once its dependency is back, so no
 * probe should restart the instance or take it out of routing for it.
 *
 * <p>Spring Boot sorts a status it does not know before {@code DOWN}; {@link
 * DegradedHealthDefaults} ranks {@code DEGRADED} after {@code OUT_OF_SERVICE} and before {@code
 * UP}, so a broker that is down still makes the service {@code DOWN}. Like any status but {@code
 * DOWN} and {@code OUT_OF_SERVICE}, it is answered with HTTP 200. The readiness and liveness groups
 * leave it out.
 */
final class BreakersHealthIndicator implements HealthIndicator {

  /** At least one consumer is paused, or trying a message, while a dependency is unavailable. */
  static final Status DEGRADED =
      new Status("DEGRADED", "A consumer takes no messages while a dependency is unavailable");

  private final ConsumerBreakers breakers;

  BreakersHealthIndicator(ConsumerBreakers breakers) {
    this.breakers = breakers;
  }

  @Override
  public Health health() {
    boolean degraded = false;
    Map<String, Object> details = new LinkedHashMap<>();
    for (SubscriptionBreaker breaker : breakers.all()) {
      degraded |= breaker.state() != State.CLOSED;
      details.put(breaker.name(), detailsOf(breaker));
    }
    return Health.status(degraded ? DEGRADED : Status.UP).withDetails(details).build();
  }

  private static Map<String, Object> detailsOf(SubscriptionBreaker breaker) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("state", ConsumerBreakers.nameOf(breaker.state()));
    details.put("transport", breaker.transport());
    details.put("destination", breaker.destination());
    details.put("group", breaker.group());
    ConsumerIntake intake = breaker.intake();
    if (intake != null) {
      details.put("paused", intake.isPaused());
    }
    Instant openSince = breaker.openSince();
    if (openSince != null) {
      details.put("openSince", openSince.toString());
    }
    details.put("timeOpen", breaker.timeOpen().toString());
    float failureRate = breaker.circuitBreaker().getMetrics().getFailureRate();
    // Resilience4j says -1 until enough messages have counted.
    if (failureRate >= 0) {
      details.put("failureRate", failureRate);
    }
    return details;
  }
}
