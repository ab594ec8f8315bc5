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
 * @param encrypted the payload travels encrypted (its route says {@code encrypt: true}, or it
 *     arrived encrypted); a record shows that, never a key or the ciphertext
 * @param encryptionKeyId the id of the master key the payload is encrypted under, when known: on
 *     receipt; not on publishing, where the encrypting step inside the audited send picks the key
 * @param principal the user or client whose action the message is part of (its {@code principal}
 *     extension), or {@code null} when the service acted on its own; for an operator's action on a
 *     parked message ({@link AuditOutcome#REPLAYED}, ...), the operator
 * @param replayOf for a replayed message, the parking lot's id of the dead letter it was replayed
 *     from ({@code replayof}); {@code null} otherwise
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
    @Nullable String detail,
    boolean encrypted,
    @Nullable String encryptionKeyId,
    @Nullable String principal,
    @Nullable String replayOf) {

  /**
   * A record of a message whose payload travels in the clear, or not known to be encrypted, on no
   * one's behalf.
   */
  public AuditRecord(
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
      @Nullable String detail) {
    this(
        messageId,
        type,
        kind,
        transport,
        destination,
        correlationId,
        service,
        outcome,
        attempt,
        duration,
        time,
        detail,
        false,
        null,
        null,
        null);
  }
}
