package dev.asyncshop.messaging.internal.breaker;

import dev.asyncshop.messaging.spi.Subscription;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker of one subscription, with what Resilience4j's state machine does not keep:
 * the subscription's intake, when the breaker entered its state, and how long it has been open in
 * all.
 */
final class SubscriptionBreaker {

  private final String transport;
  private final String destination;
  private final String group;
  private final CircuitBreaker circuitBreaker;
  private final Clock clock;
  private volatile @Nullable ConsumerIntake intake;
  private State noted = State.CLOSED;
  private Instant enteredAt;
  private Duration openBefore = Duration.ZERO;

  SubscriptionBreaker(Subscription subscription, CircuitBreaker circuitBreaker, Clock clock) {
    this.transport = subscription.transport().id();
    this.destination = subscription.destination();
    this.group = subscription.group();
    this.circuitBreaker = circuitBreaker;
    this.clock = clock;
    this.enteredAt = clock.instant();
  }

  /** The breaker's name: transport, destination and consumer group. */
  static String nameOf(Subscription subscription) {
    return subscription.transport().id()
        + ":"
        + subscription.destination()
        + ":"
        + subscription.group();
  }

  String name() {
    return circuitBreaker.getName();
  }

  String transport() {
    return transport;
  }

  String destination() {
    return destination;
  }

  String group() {
    return group;
  }

  /** Resilience4j's state machine of this subscription. */
  CircuitBreaker circuitBreaker() {
    return circuitBreaker;
  }

  State state() {
    return circuitBreaker.getState();
  }

  /** Whether the subscription must take no messages now. */
  boolean holdsBack() {
    return isOpen(state());
  }

  private static boolean isOpen(State state) {
    return state == State.OPEN || state == State.FORCED_OPEN;
  }

  @Nullable ConsumerIntake intake() {
    return intake;
  }

  void intake(@Nullable ConsumerIntake intake) {
    this.intake = intake;
  }

  /**
   * Notes that the breaker went over to another state.
   *
   * @return how long it had been in the state it left
   */
  synchronized Duration entered(State to, Instant now) {
    Duration stayed = Duration.between(enteredAt, now);
    if (stayed.isNegative()) {
      stayed = Duration.ZERO;
    }
    if (isOpen(noted)) {
      openBefore = openBefore.plus(stayed);
    }
    noted = to;
    enteredAt = now;
    return stayed;
  }

  /** Since when the breaker is open, or {@code null} when it is not. */
  synchronized @Nullable Instant openSince() {
    return isOpen(noted) ? enteredAt : null;
  }

  /** How long the breaker has been open since it was made, the current spell included. */
  synchronized Duration timeOpen() {
    Instant since = openSince();
    return since == null ? openBefore : openBefore.plus(Duration.between(since, clock.instant()));
  }
}
