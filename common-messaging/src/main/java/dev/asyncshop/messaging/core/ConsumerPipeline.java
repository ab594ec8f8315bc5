package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.AuditOutcome;
import dev.asyncshop.messaging.AuditRecord;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.IdempotencyStore;
import dev.asyncshop.messaging.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.Retryable;

/**
 * The steps every received message goes through, whatever its transport: read the envelope, audit
 * the receipt, find the handler, read the payload, skip it if already handled, run the handler with
 * retries, and on final failure dead-letter it. The transport acknowledges the message after {@link
 * #process} returns, and only then; if it throws, the message must be redelivered.
 */
public final class ConsumerPipeline {

  private static final Logger log = LoggerFactory.getLogger(ConsumerPipeline.class);

  /** Returned through the retry template when the idempotency store reports a duplicate. */
  private static final Object DUPLICATE = new Object();

  private final Subscription subscription;
  private final RouteTable routes;
  private final @Nullable IdempotencyStore idempotency;
  private final RetryTemplates retries;
  private final PayloadCodec codec;
  private final AuditTrail audit;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  public ConsumerPipeline(
      Subscription subscription,
      RouteTable routes,
      @Nullable IdempotencyStore idempotency,
      RetryTemplates retries,
      PayloadCodec codec,
      AuditTrail audit,
      MessagingMetrics metrics,
      String serviceName,
      Clock clock) {
    this.subscription = subscription;
    this.routes = routes;
    this.idempotency = idempotency;
    this.retries = retries;
    this.codec = codec;
    this.audit = audit;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  public Subscription subscription() {
    return subscription;
  }

  /**
   * Takes one message through the pipeline.
   *
   * @throws DeadLetterFailedException if the message had to be dead-lettered but could not be
   * @throws ConsumerStoppingException if the consumer is stopping while the handler is retried
   * @throws MessageInProgressException if another consumer of the group kept the message claimed
   *     through every retry
   * @throws IdempotencyStore.StoreUnavailableException if duplicates could not be checked
   */
  public ConsumeResult process(InboundDelivery delivery) {
    Instant received = clock.instant();
    DecodedMessage message;
    try {
      message = delivery.decode();
    } catch (PoisonMessageException e) {
      return deadLetter(delivery, DeadLetterReason.POISON, e, 0, received, received, null, null);
    }
    Envelope envelope = message.envelope();
    Route route = routes.find(envelope.type());
    if (route == null) {
      PoisonMessageException unknown =
          new PoisonMessageException(
              "Unknown message type '" + envelope.type() + "': no route under messaging.routes");
      return deadLetter(
          delivery, DeadLetterReason.POISON, unknown, 0, received, received, envelope, null);
    }
    record(envelope, route, AuditOutcome.RECEIVED, 0, Duration.ZERO, null);

    HandlerMethod handler = subscription.handlerOf(envelope.type());
    if (handler == null) {
      if (route.kind() == MessageKind.EVENT) {
        metrics.consumed(transport(), destination(), route.type(), "ignored");
        return new ConsumeResult.Ignored();
      }
      IllegalStateException noHandler =
          new IllegalStateException(
              "No handler for " + envelope.type() + " in group " + subscription.group());
      return deadLetter(
          delivery, DeadLetterReason.NO_HANDLER, noHandler, 0, received, received, envelope, route);
    }
    Object payload;
    try {
      payload = codec.read(message.data(), handler.payloadType());
    } catch (PoisonMessageException e) {
      return deadLetter(
          delivery, DeadLetterReason.POISON, e, 0, received, received, envelope, route);
    }

    Attempts attempts = new Attempts(handler, payload, envelope, route);
    long start = System.nanoTime();
    Object result;
    try {
      result = retries.forRoute(route).execute(attempts);
    } catch (RetryException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new ConsumerStoppingException(envelope.id(), e);
      }
      Throwable failure = e.getLastException() != null ? e.getLastException() : e;
      if (failure instanceof MessageInProgressException
          || failure instanceof IdempotencyStore.StoreUnavailableException) {
        // Not the handler's fault: another consumer of the group holds the message (it will
        // handle or dead-letter it), or the store is away. The message goes back to the broker.
        throw (RuntimeException) failure;
      }
      DeadLetterReason reason =
          retries.isRetryable(route, failure)
              ? DeadLetterReason.RETRIES_EXHAUSTED
              : DeadLetterReason.NON_RETRYABLE;
      return deadLetter(
          delivery,
          reason,
          failure,
          attempts.count,
          attempts.firstFailure,
          attempts.lastFailure,
          envelope,
          route);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    if (result == DUPLICATE) {
      metrics.duplicateSkipped(transport(), destination(), route.type());
      metrics.consumed(transport(), destination(), route.type(), "duplicate");
      record(envelope, route, AuditOutcome.DUPLICATE_SKIPPED, attempts.count, took, null);
      return new ConsumeResult.Duplicate();
    }
    byte[] reply = null;
    if (route.kind() == MessageKind.QUERY && result != null) {
      try {
        reply = codec.write(result);
      } catch (RuntimeException e) {
        // Running the handler again would give the same reply: answer with the failure instead.
        return deadLetter(
            delivery,
            DeadLetterReason.NON_RETRYABLE,
            new IllegalStateException("Reply of " + handler + " cannot be written as JSON", e),
            attempts.count,
            clock.instant(),
            clock.instant(),
            envelope,
            route);
      }
    }
    metrics.consumed(transport(), destination(), route.type(), "handled");
    metrics.endToEndLatency(
        transport(),
        destination(),
        route.type(),
        Duration.between(envelope.time(), clock.instant()));
    record(envelope, route, AuditOutcome.HANDLED, attempts.count, took, null);
    return new ConsumeResult.Handled(reply);
  }

  /** The handler runs, counted for retries and failure times, inside the idempotency guard. */
  private final class Attempts implements Retryable<@Nullable Object> {

    private final HandlerMethod handler;
    private final Object payload;
    private final Envelope envelope;
    private final Route route;
    private final boolean idempotent;
    private int count;
    private Instant firstFailure = Instant.EPOCH;
    private Instant lastFailure = Instant.EPOCH;
    private @Nullable Throwable lastException;

    Attempts(HandlerMethod handler, Object payload, Envelope envelope, Route route) {
      this.handler = handler;
      this.payload = payload;
      this.envelope = envelope;
      this.route = route;
      this.idempotent =
          idempotency != null
              && (route.kind() == MessageKind.EVENT || route.kind() == MessageKind.COMMAND);
    }

    @Override
    public @Nullable Object execute() {
      int attempt = ++count;
      if (attempt > 1) {
        metrics.retried(transport(), destination(), route.type());
        record(
            envelope,
            route,
            AuditOutcome.RETRIED,
            attempt,
            Duration.ZERO,
            lastException == null ? null : lastException.toString());
      }
      long start = System.nanoTime();
      try {
        Object result = CurrentMessage.runWith(envelope, this::runHandler);
        metrics.handlerTime(
            transport(), destination(), route.type(), "success", elapsedSince(start));
        return result;
      } catch (RuntimeException | Error e) {
        metrics.handlerTime(
            transport(), destination(), route.type(), "failure", elapsedSince(start));
        lastFailure = clock.instant();
        if (attempt == 1) {
          firstFailure = lastFailure;
        }
        lastException = e;
        log.debug("Handler {} failed on attempt {} for {}", handler, attempt, envelope.id(), e);
        throw e;
      }
    }

    private @Nullable Object runHandler() {
      if (!idempotent) {
        return handler.invoke(payload, envelope);
      }
      IdempotencyStore.Outcome outcome =
          idempotency.runOnce(
              subscription.group(), envelope.id(), () -> handler.invoke(payload, envelope));
      return outcome == IdempotencyStore.Outcome.DUPLICATE ? DUPLICATE : null;
    }

    @Override
    public String getName() {
      return handler + " for " + envelope.type();
    }
  }

  private ConsumeResult deadLetter(
      InboundDelivery delivery,
      DeadLetterReason reason,
      Throwable failure,
      int attempts,
      Instant firstFailure,
      Instant lastFailure,
      @Nullable Envelope envelope,
      @Nullable Route route) {
    DeadLetter deadLetter =
        new DeadLetter(
            reason,
            failure,
            attempts,
            destination(),
            subscription.group(),
            firstFailure,
            lastFailure,
            envelope);
    try {
      delivery.deadLetter(deadLetter);
    } catch (Exception e) {
      throw new DeadLetterFailedException(
          "Could not dead-letter a message from "
              + destination()
              + " ("
              + deadLetter.describe()
              + ")",
          e);
    }
    // An unrouted type is tagged "unknown" so that junk types cannot multiply the meters.
    String type = route != null ? route.type() : "unknown";
    metrics.deadLettered(transport(), destination(), type, reason);
    metrics.consumed(transport(), destination(), type, "dead_lettered");
    audit.record(
        new AuditRecord(
            envelope != null ? envelope.id() : null,
            envelope != null ? envelope.type() : null,
            route != null ? route.kind() : null,
            transport(),
            destination(),
            envelope != null ? envelope.correlationId() : null,
            serviceName,
            AuditOutcome.DEAD_LETTERED,
            attempts,
            Duration.between(firstFailure, lastFailure),
            clock.instant(),
            deadLetter.describe()));
    log.warn(
        "Dead-lettered message {} from {} after {} attempt(s): {}",
        envelope != null ? envelope.id() : "(unreadable)",
        destination(),
        attempts,
        deadLetter.describe());
    return new ConsumeResult.DeadLettered(deadLetter);
  }

  private void record(
      Envelope envelope,
      Route route,
      AuditOutcome outcome,
      int attempt,
      Duration duration,
      @Nullable String detail) {
    audit.record(
        new AuditRecord(
            envelope.id(),
            envelope.type(),
            route.kind(),
            transport(),
            destination(),
            envelope.correlationId(),
            serviceName,
            outcome,
            attempt,
            duration,
            clock.instant(),
            detail));
  }

  private String transport() {
    return subscription.transport();
  }

  private String destination() {
    return subscription.destination();
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
