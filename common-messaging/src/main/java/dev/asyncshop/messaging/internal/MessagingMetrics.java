package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The messaging meters, all tagged with transport, destination and type so one dashboard can slice
 * them by broker, queue or message.
 */
public class MessagingMetrics {

  public static final String PUBLISHED = "messaging.published";
  public static final String CONSUMED = "messaging.consumed";
  public static final String RETRIED = "messaging.retried";
  public static final String DEAD_LETTERED = "messaging.dead.lettered";
  public static final String DUPLICATES_SKIPPED = "messaging.duplicates.skipped";
  public static final String ORDERING_VIOLATIONS = "messaging.ordering.violations";
  public static final String HANDLER_DURATION = "messaging.handler.duration";
  public static final String END_TO_END_LATENCY = "messaging.end.to.end.latency";
  public static final String QUEUE_WAIT = "messaging.queue.wait";
  public static final String AUDIT_FAILURES = "messaging.audit.failures";
  public static final String QUEUE_DEPTH = "messaging.queue.depth";
  public static final String CONSUMER_LAG = "messaging.consumer.lag";
  public static final String DEAD_LETTER_DEPTH = "messaging.dead.letter.depth";
  public static final String OUTBOX_BACKLOG = "messaging.outbox.backlog";
  public static final String OUTBOX_OLDEST_AGE = "messaging.outbox.oldest.age";
  public static final String OUTBOX_PARKED = "messaging.outbox.parked";
  public static final String CONSUMER_UNAVAILABLE = "messaging.consumer.unavailable";
  public static final String BREAKER_STATE = "messaging.consumer.breaker.state";
  public static final String BREAKER_TRANSITIONS = "messaging.consumer.breaker.transitions";
  public static final String BREAKER_OPEN_TIME = "messaging.consumer.breaker.open.time";

  private final MeterRegistry registry;

  public MessagingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  private static Tags tags(String transport, String destination, String type) {
    return Tags.of("transport", transport, "destination", destination, "type", type);
  }

  public void published(String transport, String destination, String type, String outcome) {
    Counter.builder(PUBLISHED)
        .description("Messages handed to a broker, by outcome (success, failure)")
        .tags(tags(transport, destination, type).and("outcome", outcome))
        .register(registry)
        .increment();
  }

  public void consumed(String transport, String destination, String type, String outcome) {
    Counter.builder(CONSUMED)
        .description(
            "Messages taken from a broker, by outcome (handled, duplicate, ignored, dead_lettered;"
                + " failed for the reply of a query that failed)")
        .tags(tags(transport, destination, type).and("outcome", outcome))
        .register(registry)
        .increment();
  }

  public void retried(String transport, String destination, String type) {
    Counter.builder(RETRIED)
        .description("Handler runs after a failed one")
        .tags(tags(transport, destination, type))
        .register(registry)
        .increment();
  }

  public void deadLettered(
      String transport, String destination, String type, DeadLetterReason reason) {
    Counter.builder(DEAD_LETTERED)
        .description("Messages moved to a dead-letter destination, by reason")
        .tags(tags(transport, destination, type).and("reason", reason.name()))
        .register(registry)
        .increment();
  }

  public void duplicateSkipped(String transport, String destination, String type) {
    Counter.builder(DUPLICATES_SKIPPED)
        .description("Redelivered messages whose handler had already run for the consumer group")
        .tags(tags(transport, destination, type))
        .register(registry)
        .increment();
  }

  /** A message one consumer group handled after a later one of the same source and key. */
  public void orderingViolation(String transport, String destination, String type, String group) {
    Counter.builder(ORDERING_VIOLATIONS)
        .description(
            "Messages a consumer group handled after a later one of the same source and partition"
                + " key")
        .tags(tags(transport, destination, type).and("group", group))
        .register(registry)
        .increment();
  }

  public void handlerTime(
      String transport, String destination, String type, String outcome, Duration duration) {
    Timer.builder(HANDLER_DURATION)
        .description("Time spent in one handler run")
        .tags(tags(transport, destination, type).and("outcome", outcome))
        .register(registry)
        .record(duration);
  }

  public void endToEndLatency(String transport, String destination, String type, Duration latency) {
    Timer.builder(END_TO_END_LATENCY)
        .description("From the message's time attribute to the end of its successful handling")
        .tags(tags(transport, destination, type))
        .register(registry)
        .record(latency.isNegative() ? Duration.ZERO : latency);
  }

  /**
   * How long a message waited between being sent (its time attribute) and its handler starting: the
   * broker's queue, and for outbox messages the relay too.
   */
  public void queueWait(String transport, String destination, String type, Duration wait) {
    Timer.builder(QUEUE_WAIT)
        .description("From the message's time attribute to the start of its handling")
        .tags(tags(transport, destination, type))
        .register(registry)
        .record(wait.isNegative() ? Duration.ZERO : wait);
  }

  /**
   * A gauge of the messages waiting in a destination's dead letters, read when scraped.
   *
   * @param depth reads the count from the broker; {@code NaN} when it cannot
   */
  public void deadLetterDepth(
      String transport, String destination, String deadLetters, Supplier<Number> depth) {
    Gauge.builder(DEAD_LETTER_DEPTH, depth)
        .description("Messages in the destination's dead letters, waiting for replay or purge")
        .tags("transport", transport, "destination", destination, "dead_letters", deadLetters)
        .register(registry);
  }

  /**
   * A message given back to its broker, unhandled, because a dependency of its handling was down
   * (for a broadcast, which cannot be delivered again: lost). Counted each time, so a message tried
   * again through an outage counts once per try.
   */
  public void unavailable(String transport, String destination) {
    Counter.builder(CONSUMER_UNAVAILABLE)
        .description(
            "Messages not handled because a dependency of their handling was unavailable, given"
                + " back to the broker (broadcasts: lost)")
        .tags("transport", transport, "destination", destination)
        .register(registry)
        .increment();
  }

  /**
   * The gauges of one subscription's circuit breaker, read when scraped: its state, and how long it
   * has been open in all (a counter of seconds, so its rate is the share of time the consumer took
   * no messages). Both read the breaker object, which the caller keeps for as long as the service
   * runs.
   *
   * @param state 0 closed, 1 half-open, 2 open
   */
  public <T> void breaker(
      String transport,
      String destination,
      String group,
      T breaker,
      ToDoubleFunction<T> state,
      ToDoubleFunction<T> secondsOpen) {
    Gauge.builder(BREAKER_STATE, breaker, state)
        .description(
            "State of the consumer's circuit breaker: 0 closed, 1 half-open (a trial message), 2"
                + " open (the consumer takes no messages)")
        .tags("transport", transport, "destination", destination, "group", group)
        .register(registry);
    FunctionCounter.builder(BREAKER_OPEN_TIME, breaker, secondsOpen)
        .description(
            "Time the consumer's circuit breaker has been open, the consumer taking no messages")
        .baseUnit("seconds")
        .tags("transport", transport, "destination", destination, "group", group)
        .register(registry);
  }

  /** A consumer's circuit breaker went from one state to another. */
  public void breakerTransition(
      String transport, String destination, String group, String from, String to) {
    Counter.builder(BREAKER_TRANSITIONS)
        .description("Changes of state of consumers' circuit breakers, by state left and entered")
        .tags("transport", transport, "destination", destination, "group", group)
        .tags("from", from, "to", to)
        .register(registry)
        .increment();
  }

  public void auditFailure(String sink) {
    Counter.builder(AUDIT_FAILURES)
        .description("Audit records a sink failed to write or dropped")
        .tag("sink", sink)
        .register(registry)
        .increment();
  }
}
