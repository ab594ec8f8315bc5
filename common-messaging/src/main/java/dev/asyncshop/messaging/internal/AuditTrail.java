package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.OutboundMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each audit record to every sink; a failing sink never reaches the caller. */
public final class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final AuditSink[] sinks;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  public AuditTrail(
      List<AuditSink> sinks, MessagingMetrics metrics, String serviceName, Clock clock) {
    this.sinks = sinks.toArray(AuditSink[]::new);
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  /**
   * A step of a received message, as far as the pipeline got with it. Not for a projection's
   * reading: the trail says what the services did with their messages, and a read model being
   * written, or written again from the first event, does nothing to any of them.
   *
   * <p>The first record of a message after {@link AuditReceivedStep} settles its receipt: handled
   * or skipped as a duplicate at the first attempt, it says on its own that the message arrived;
   * any other record is preceded by the {@code RECEIVED} one, timed when the message arrived.
   */
  void record(
      ConsumerContext context,
      AuditOutcome outcome,
      int attempt,
      Duration duration,
      @Nullable String detail) {
    if (context.subscription().projection()) {
      return;
    }
    boolean tellsTheReceipt =
        attempt <= 1
            && (outcome == AuditOutcome.HANDLED || outcome == AuditOutcome.DUPLICATE_SKIPPED);
    if (tellsTheReceipt) {
      context.receiptUnaudited(false);
    } else {
      settleReceipt(context);
    }
    write(context, outcome, attempt, duration, detail, clock.instant());
  }

  /**
   * The {@code RECEIVED} record of a message, if it is still owed: before its first record that
   * does not tell the receipt, or when its handling ended without any record of its own (given
   * back, ignored, or on its way to the dead letters).
   */
  void settleReceipt(ConsumerContext context) {
    if (context.receiptUnaudited() && !context.subscription().projection()) {
      context.receiptUnaudited(false);
      write(context, AuditOutcome.RECEIVED, 0, Duration.ZERO, null, context.received());
    }
  }

  private void write(
      ConsumerContext context,
      AuditOutcome outcome,
      int attempt,
      Duration duration,
      @Nullable String detail,
      Instant time) {
    Envelope envelope = context.envelope();
    Route route = context.route();
    record(
        new AuditRecord(
            envelope != null ? envelope.id() : null,
            envelope != null ? envelope.type() : null,
            route != null ? route.kind() : null,
            context.subscription().transport().id(),
            context.subscription().destination(),
            envelope != null ? envelope.correlationId() : null,
            serviceName,
            outcome,
            attempt,
            duration,
            time,
            detail,
            (route != null && route.encrypt()) || encryptionKeyId(envelope) != null,
            encryptionKeyId(envelope),
            principal(envelope),
            replayOf(envelope)));
  }

  /**
   * A received message that a security step refused before any handler ran, named by its route's
   * type (the one this service knows, never a type only the sender names), with whether its payload
   * is encrypted as that step saw it.
   */
  public void recordRefused(
      ConsumerContext context,
      AuditOutcome outcome,
      String detail,
      boolean encrypted,
      @Nullable String encryptionKeyId) {
    Envelope envelope = context.envelope();
    Route route = context.route();
    record(
        new AuditRecord(
            envelope != null ? envelope.id() : null,
            route != null ? route.type() : null,
            route != null ? route.kind() : null,
            context.subscription().transport().id(),
            context.subscription().destination(),
            envelope != null ? envelope.correlationId() : null,
            serviceName,
            outcome,
            0,
            Duration.ZERO,
            clock.instant(),
            detail,
            encrypted,
            encryptionKeyId,
            principal(envelope),
            replayOf(envelope)));
  }

  /**
   * A subscription's circuit breaker changing state (see {@link AuditOutcome#BREAKER_TRANSITION}).
   *
   * @param stayed how long the breaker was in the state it left
   */
  public void recordBreakerTransition(
      String transport, String destination, Duration stayed, String detail) {
    record(
        new AuditRecord(
            null,
            null,
            null,
            transport,
            destination,
            null,
            serviceName,
            AuditOutcome.BREAKER_TRANSITION,
            0,
            stayed,
            clock.instant(),
            detail));
  }

  /**
   * A query's reply that a security check refused where its asker received it, named by the asker's
   * reply route (its type, never one only the sender names).
   */
  public void recordRefusedReply(
      Route route, Envelope envelope, AuditOutcome outcome, String detail) {
    record(route, envelope, outcome, Duration.ZERO, detail);
  }

  /** A message handed to its transport, and what the broker said. */
  void record(
      OutboundMessage message, AuditOutcome outcome, Duration duration, @Nullable String detail) {
    record(message.route(), message.envelope(), outcome, duration, detail);
  }

  /**
   * A message on a route, outside any consumer pipeline: a send, or a reply its asker got; named by
   * the route's type, which for a reply is this service's word for it.
   */
  void record(
      Route route,
      Envelope envelope,
      AuditOutcome outcome,
      Duration duration,
      @Nullable String detail) {
    record(
        new AuditRecord(
            envelope.id(),
            route.type(),
            route.kind(),
            route.transport().id(),
            route.destination(),
            envelope.correlationId(),
            serviceName,
            outcome,
            0,
            duration,
            clock.instant(),
            detail,
            route.encrypt() || encryptionKeyId(envelope) != null,
            encryptionKeyId(envelope),
            principal(envelope),
            replayOf(envelope)));
  }

  private static @Nullable String encryptionKeyId(@Nullable Envelope envelope) {
    return envelope != null ? envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) : null;
  }

  private static @Nullable String replayOf(@Nullable Envelope envelope) {
    return envelope != null ? envelope.extension(CloudEventAttributes.REPLAYOF) : null;
  }

  /**
   * An operator's action on a parked message (parking, replay, edit, purge), on the operator's
   * behalf.
   *
   * @param destination the message's original destination
   * @param parkedId the parking lot's id of it
   */
  public void recordOperation(
      AuditOutcome outcome,
      @Nullable String messageId,
      @Nullable String type,
      String transport,
      String destination,
      @Nullable String correlationId,
      int attempt,
      @Nullable String operator,
      String parkedId,
      String detail) {
    record(
        new AuditRecord(
            messageId,
            type,
            null,
            transport,
            destination,
            correlationId,
            serviceName,
            outcome,
            attempt,
            Duration.ZERO,
            clock.instant(),
            detail,
            false,
            null,
            operator,
            parkedId));
  }

  private static @Nullable String principal(@Nullable Envelope envelope) {
    return envelope != null ? envelope.extension(CloudEventAttributes.PRINCIPAL) : null;
  }

  void record(AuditRecord record) {
    for (AuditSink sink : sinks) {
      try {
        sink.write(record);
      } catch (RuntimeException e) {
        metrics.auditFailure(sink.getClass().getSimpleName());
        log.warn(
            "Audit sink {} failed for message {}: {}",
            sink.getClass().getSimpleName(),
            record.messageId(),
            e.toString());
      }
    }
  }
}
