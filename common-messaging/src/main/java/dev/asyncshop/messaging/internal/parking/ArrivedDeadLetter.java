package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A dead letter as an intake took it from its broker, or a refused outbox row, on its way into the
 * parking lot. What the dead-letter headers say wins over the fallbacks.
 *
 * @param key where it was taken from, unique to it, so a copy delivered twice is parked once
 * @param transport rabbitmq, kafka or redis
 * @param destination the consumed destination, when the headers do not name it
 * @param group the consumer group, when the headers do not name it
 * @param deadLetters the queue, topic or stream it was taken from, or {@code outbox}
 * @param fallbackReason the reason, when the headers give none (a broker dead-lettered it itself)
 * @param headers every header or stream field it came with, as text
 * @param envelope its envelope, when it could be read
 * @param payload its payload as it travelled (ciphertext when encrypted)
 * @param outboxId the outbox row, for a row the broker kept refusing
 */
public record ArrivedDeadLetter(
    String key,
    String transport,
    String destination,
    @Nullable String group,
    String deadLetters,
    DeadLetterReason fallbackReason,
    Map<String, String> headers,
    @Nullable Envelope envelope,
    byte[] payload,
    @Nullable String outboxId) {

  /** How {@link #deadLetters()} begins for a record a projection could not apply. */
  public static final String PROJECTION = "projection:";
}
