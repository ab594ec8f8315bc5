package dev.asyncshop.messaging.internal.breaker;

import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.Subscription;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * One Resilience4j circuit breaker per subscription, and what follows from its state: the
 * transport's {@link ConsumerIntake} paused while the breaker is open and resumed when it
 * half-opens (so a trial message comes in) or closes; each transition counted, audited and logged.
 *
 * <p>Only {@link DependencyUnavailableException} counts as a failure; any other exception is
 * ignored by the breaker (see {@link CircuitBreakerProperties}). The breaker goes from open to
 * half-open by itself after {@code wait-in-open}: a paused consumer takes no message that could ask
 * it to.
 *
 * <p>Intakes are paused and resumed on one thread of the breakers' own, in the order of the
 * transitions: never on the consumer thread whose failure opened the breaker, since stopping a
 * RabbitMQ container waits for that very thread to finish its message.
 */
public final class ConsumerBreakers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsumerBreakers.class);

  /**
   * Longer than any handler takes: only a dependency that is down opens a breaker, never slowness.
   */
  private static final Duration NEVER_SLOW = Duration.ofDays(1);

  private final CircuitBreakerRegistry registry;
  private final CircuitBreakerProperties settings;
  private final MessagingMetrics metrics;
  private final AuditTrail audit;
  private final Clock clock;
  private final Map<String, SubscriptionBreaker> breakers = new ConcurrentHashMap<>();
  private final ThreadPoolTaskExecutor switching = new ThreadPoolTaskExecutor();
  private volatile boolean closed;

  public ConsumerBreakers(
      CircuitBreakerProperties settings, MessagingMetrics metrics, AuditTrail audit, Clock clock) {
    this.settings = settings;
    this.registry = CircuitBreakerRegistry.of(configOf(settings));
    this.metrics = metrics;
    this.audit = audit;
    this.clock = clock;
    // Resilience4j's own call statistics (calls by kind, failure rate), tagged like ours.
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(metrics.registry());
    switching.setCorePoolSize(1);
    switching.setMaxPoolSize(1);
    switching.setThreadNamePrefix("messaging-breaker-");
    switching.initialize();
  }

  static CircuitBreakerConfig configOf(CircuitBreakerProperties settings) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(settings.slidingWindowSize())
        .minimumNumberOfCalls(settings.minimumNumberOfCalls())
        .failureRateThreshold(settings.failureRateThreshold())
        .waitDurationInOpenState(settings.waitInOpen())
        .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpen())
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .recordException(DependencyUnavailableException.class::isInstance)
        .ignoreException(failure -> !(failure instanceof DependencyUnavailableException))
        .slowCallDurationThreshold(NEVER_SLOW)
        .slowCallRateThreshold(100)
        .build();
  }

  /** The breaker of a subscription, made the first time it is asked for. */
  SubscriptionBreaker of(Subscription subscription) {
    return breakers.computeIfAbsent(
        SubscriptionBreaker.nameOf(subscription), name -> create(name, subscription));
  }

  private SubscriptionBreaker create(String name, Subscription subscription) {
    CircuitBreaker circuitBreaker =
        registry.circuitBreaker(
            name,
            Map.of(
                "transport", subscription.transport().id(),
                "destination", subscription.destination(),
                "group", subscription.group()));
    SubscriptionBreaker breaker = new SubscriptionBreaker(subscription, circuitBreaker, clock);
    circuitBreaker.getEventPublisher().onStateTransition(event -> transitioned(breaker, event));
    metrics.breaker(
        breaker.transport(),
        breaker.destination(),
        breaker.group(),
        breaker,
        b -> gaugeValue(b.state()),
        b -> b.timeOpen().toNanos() / 1e9);
    return breaker;
  }

  /**
   * Lets the subscription's breaker pause and resume its intake from now on; paused at once if the
   * breaker is open already.
   */
  public void attach(Subscription subscription, ConsumerIntake intake) {
    SubscriptionBreaker breaker = of(subscription);
    breaker.intake(intake);
    if (breaker.holdsBack()) {
      switching.execute(() -> follow(breaker));
    }
  }

  /** The transport stopped the subscription: its breaker no longer pauses or resumes it. */
  public void detach(Subscription subscription) {
    SubscriptionBreaker breaker = breakers.get(SubscriptionBreaker.nameOf(subscription));
    if (breaker != null) {
      breaker.intake(null);
    }
  }

  /** Every subscription's breaker, by name. */
  List<SubscriptionBreaker> all() {
    return breakers.values().stream()
        .sorted(Comparator.comparing(SubscriptionBreaker::name))
        .toList();
  }

  private void transitioned(
      SubscriptionBreaker breaker, CircuitBreakerOnStateTransitionEvent event) {
    if (closed) {
      // Resilience4j's timer may still half-open a breaker after the service stopped its consumers.
      return;
    }
    State from = event.getStateTransition().getFromState();
    State to = event.getStateTransition().getToState();
    Instant now = clock.instant();
    Duration stayed = breaker.entered(to, now);
    metrics.breakerTransition(
        breaker.transport(), breaker.destination(), breaker.group(), nameOf(from), nameOf(to));
    String detail = detail(breaker, from, to);
    audit.recordBreakerTransition(breaker.transport(), breaker.destination(), stayed, detail);
    switch (to) {
      case OPEN, FORCED_OPEN ->
          log.warn(
              "The consumer of {} takes no messages for {}: {}",
              breaker.destination(),
              settings.waitInOpen(),
              detail);
      case HALF_OPEN ->
          log.info(
              "The consumer of {} tries a message after {} without: {}",
              breaker.destination(),
              stayed,
              detail);
      default ->
          log.info("The consumer of {} takes messages again: {}", breaker.destination(), detail);
    }
    // The intake follows the breaker's state when the switching thread gets to it, not the state of
    // this event: transitions that came quickly one after another end in the last one.
    switching.execute(() -> follow(breaker));
  }

  private static String detail(SubscriptionBreaker breaker, State from, State to) {
    CircuitBreaker.Metrics calls = breaker.circuitBreaker().getMetrics();
    String why =
        switch (to) {
          case OPEN ->
              from == State.HALF_OPEN
                  ? "the trial message found a dependency still unavailable"
                  : "%.0f%% of the last %d messages found a dependency unavailable"
                      .formatted(calls.getFailureRate(), calls.getNumberOfBufferedCalls());
          case HALF_OPEN -> "letting a trial message through";
          case CLOSED -> "the trial message was handled";
          default -> "set by hand";
        };
    return "group %s: %s -> %s, %s".formatted(breaker.group(), nameOf(from), nameOf(to), why);
  }

  private void follow(SubscriptionBreaker breaker) {
    ConsumerIntake intake = breaker.intake();
    if (intake == null) {
      return;
    }
    try {
      if (breaker.holdsBack()) {
        intake.pause();
      } else {
        intake.resume();
      }
    } catch (RuntimeException e) {
      log.error(
          "Could not {} the consumer of {}: {}",
          breaker.holdsBack() ? "pause" : "resume",
          breaker.destination(),
          e.toString(),
          e);
    }
  }

  /** The state's name in meters and audit records: {@code closed}, {@code half_open}, ... */
  static String nameOf(State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** 0 closed, 1 half-open, 2 open: the higher, the fewer messages are taken. */
  static double gaugeValue(State state) {
    return switch (state) {
      case OPEN, FORCED_OPEN -> 2;
      case HALF_OPEN -> 1;
      default -> 0;
    };
  }

  @Override
  public void close() {
    closed = true;
    breakers.values().forEach(breaker -> breaker.intake(null));
    switching.shutdown();
  }
}
