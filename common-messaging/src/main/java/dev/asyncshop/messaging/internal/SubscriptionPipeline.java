package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerStoppingException;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DeadLetterFailedException;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.MessageHandler;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.Subscription;
import java.nio.charset.StandardCharsets;
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
final class SubscriptionPipeline implements ConsumerPipeline {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionPipeline.class);

  /** The reply type of a query too broken to have a type of its own. */
  static final String UNREADABLE_QUERY_REPLY_TYPE = "messaging.unreadable-query.reply.v1";

  /** Returned through the retry template when the idempotency store reports a duplicate. */
  private static final Object DUPLICATE = new Object();

  private final Subscription subscription;
  private final RouteTable routes;
  private final @Nullable IdempotencyStore idempotency;
  private final RetryTemplates retries;
  private final PayloadCodec codec;
  private final EnvelopeFactory envelopes;
  private final AuditTrail audit;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  SubscriptionPipeline(
      Subscription subscription,
      RouteTable routes,
      @Nullable IdempotencyStore idempotency,
      RetryTemplates retries,
      PayloadCodec codec,
      EnvelopeFactory envelopes,
      AuditTrail audit,
      MessagingMetrics metrics,
      String serviceName,
      Clock clock) {
    this.subscription = subscription;
    this.routes = routes;
    this.idempotency = idempotency;
    this.retries = retries;
    this.codec = codec;
    this.envelopes = envelopes;
    this.audit = audit;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  @Override
  public Subscription subscription() {
    return subscription;
  }

  /** What a query's answer needs from the processing of the query. */
  private static final class Answer {
    @Nullable Envelope envelope;
    @Nullable Route route;
    byte @Nullable [] reply;
  }

  @Override
  public ConsumeResult process(InboundDelivery delivery) {
    Answer answer = new Answer();
    ConsumeResult result = process(delivery, answer);
    if (delivery.replyTo() != null
        && (answer.route == null || answer.route.kind() == MessageKind.QUERY)) {
      answer(delivery, answer, result);
    }
    return result;
  }

  /** Sends the query's reply, or its failure, back to the asker. */
  private void answer(InboundDelivery delivery, Answer answer, ConsumeResult result) {
    Reply reply;
    if (result instanceof ConsumeResult.DeadLettered deadLettered) {
      DeadLetter deadLetter = deadLettered.deadLetter();
      Envelope envelope =
          answer.envelope != null
              ? envelopes.reply(
                  answer.envelope,
                  Route.replyTypeOf(answer.envelope.type()),
                  DeadLetter.FAILURE_CONTENT_TYPE)
              : unreadableQueryReply();
      reply =
          new Reply(
              envelope,
              deadLetter.describe().getBytes(StandardCharsets.UTF_8),
              deadLetter.reason());
    } else if (answer.envelope != null && answer.route != null) {
      byte[] data = answer.reply != null ? answer.reply : NULL_REPLY;
      reply =
          new Reply(
              envelopes.reply(answer.envelope, answer.route.replyType(), Envelope.JSON),
              data,
              null);
    } else {
      return;
    }
    delivery.reply(reply).join();
  }

  private static final byte[] NULL_REPLY = "null".getBytes(StandardCharsets.UTF_8);

  private Envelope unreadableQueryReply() {
    Envelope envelope = envelopes.create(UNREADABLE_QUERY_REPLY_TYPE, MessageOptions.NONE);
    return new Envelope(
        envelope.id(),
        envelope.source(),
        envelope.type(),
        envelope.time(),
        null,
        DeadLetter.FAILURE_CONTENT_TYPE,
        envelope.correlationId(),
        null,
        envelope.traceparent(),
        null);
  }

  private ConsumeResult process(InboundDelivery delivery, Answer answer) {
    Instant received = clock.instant();
    DecodedMessage message;
    try {
      message = delivery.decode();
    } catch (PoisonMessageException e) {
      return deadLetter(delivery, DeadLetterReason.POISON, e, 0, received, received, null, null);
    }
    Envelope envelope = message.envelope();
    answer.envelope = envelope;
    Route route = routes.find(envelope.type());
    if (route == null) {
      PoisonMessageException unknown =
          new PoisonMessageException(
              "Unknown message type '" + envelope.type() + "': no route under messaging.routes");
      return deadLetter(
          delivery, DeadLetterReason.POISON, unknown, 0, received, received, envelope, null);
    }
    answer.route = route;
    record(envelope, route, AuditOutcome.RECEIVED, 0, Duration.ZERO, null);

    MessageHandler handler = subscription.handlerOf(envelope.type());
    if (handler == null) {
      if (route.kind() == MessageKind.EVENT) {
        metrics.consumed(transport(), destination(), route.type(), "ignored");
        return ConsumeResult.IGNORED;
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
      return ConsumeResult.DUPLICATE;
    }
    if (route.kind() == MessageKind.QUERY && result != null) {
      try {
        answer.reply = codec.write(result);
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
    return ConsumeResult.HANDLED;
  }

  /** The handler runs, counted for retries and failure times, inside the idempotency guard. */
  private final class Attempts implements Retryable<@Nullable Object> {

    private final MessageHandler handler;
    private final Object payload;
    private final Envelope envelope;
    private final Route route;
    private final boolean idempotent;
    private int count;
    private Instant firstFailure = Instant.EPOCH;
    private Instant lastFailure = Instant.EPOCH;
    private @Nullable Throwable lastException;

    Attempts(MessageHandler handler, Object payload, Envelope envelope, Route route) {
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
    return subscription.transport().id();
  }

  private String destination() {
    return subscription.destination();
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
