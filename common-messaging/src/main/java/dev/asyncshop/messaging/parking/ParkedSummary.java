package dev.asyncshop.messaging.parking;

import dev.asyncshop.messaging.DeadLetterReason;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One parked message as a list shows it.
 *
 * @param id the parking lot's id of it
 * @param state where it is in its life
 * @param transport rabbitmq, kafka or redis: where it was, or was to be, delivered
 * @param destination the queue, topic or channel it was taken from, or was to be sent to
 * @param group the consumer group that gave up on it; {@code null} for an outbox row
 * @param deadLetters where it was parked from: a dead-letter queue, topic or stream, or {@code
 *     outbox}
 * @param security refused for its signature or encryption: an incident to look into, never replayed
 * @param reason why it was given up
 * @param exceptionClass the last exception's class
 * @param exceptionMessage the last exception's message
 * @param attempts handler runs, or send attempts for an outbox row
 * @param lastFailure when it last failed
 * @param parkedAt when it reached the parking lot
 * @param messageId its envelope's id, when it could be read
 * @param type its message type, when known
 * @param correlationId the business flow it belongs to, when known
 * @param encrypted its payload is encrypted: shown as such, replayable, not editable
 * @param lineage what operators did to it
 */
public record ParkedSummary(
    String id,
    ParkedState state,
    String transport,
    String destination,
    @Nullable String group,
    String deadLetters,
    boolean security,
    DeadLetterReason reason,
    @Nullable String exceptionClass,
    @Nullable String exceptionMessage,
    int attempts,
    @Nullable Instant lastFailure,
    Instant parkedAt,
    @Nullable String messageId,
    @Nullable String type,
    @Nullable String correlationId,
    boolean encrypted,
    Lineage lineage) {}
