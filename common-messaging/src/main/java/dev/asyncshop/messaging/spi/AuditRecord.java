package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.MessageKind;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One step in the life of one message, as written to the log and to the {@code audit.events} topic.
 *
 * @param messageId the envelope id, or {@code null} for a message too broken to have one
 * @param type the message type, or {@code null} when unknown
 * @param kind the route's kind, or {@code null} when unknown
 * @param transport kafka, rabbitmq or redis
 * @param destination topic, queue or channel
 * @param correlationId the business flow the message belongs to
 * @param service the service that wrote the record
 * @param outcome the step
 * @param attempt the handler run this record is about; 0 for publish and receive
 * @param duration how long the step took
 * @param time when the step ended
 * @param detail the exception or reason, for failures
 */
public record AuditRecord(
    @Nullable String messageId,
    @Nullable String type,
    @Nullable MessageKind kind,
    String transport,
    String destination,
    @Nullable String correlationId,
    String service,
    AuditOutcome outcome,
    int attempt,
    Duration duration,
    Instant time,
    @Nullable String detail) {}
