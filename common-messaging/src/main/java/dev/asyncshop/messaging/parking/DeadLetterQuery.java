package dev.asyncshop.messaging.parking;

import dev.asyncshop.messaging.DeadLetterReason;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which parked messages to list or act on; every filter left {@code null} matches everything.
 *
 * @param state only in this state; {@code null} for all
 * @param transport rabbitmq, kafka or redis
 * @param destination the original queue, topic or channel
 * @param type the message type
 * @param reason why it was given up
 * @param exceptionClass the last exception's class, fully qualified or simple name
 * @param from parked at or after
 * @param to parked before
 * @param correlationId the business flow
 * @param security only security dead letters ({@code true}) or none of them ({@code false})
 */
public record DeadLetterQuery(
    @Nullable ParkedState state,
    @Nullable String transport,
    @Nullable String destination,
    @Nullable String type,
    @Nullable DeadLetterReason reason,
    @Nullable String exceptionClass,
    @Nullable Instant from,
    @Nullable Instant to,
    @Nullable String correlationId,
    @Nullable Boolean security) {

  /** Everything waiting for an operator. */
  public static final DeadLetterQuery PARKED =
      new DeadLetterQuery(ParkedState.PARKED, null, null, null, null, null, null, null, null, null);

  /** This query with another correlation id. */
  public DeadLetterQuery withCorrelationId(@Nullable String correlationId) {
    return new DeadLetterQuery(
        state,
        transport,
        destination,
        type,
        reason,
        exceptionClass,
        from,
        to,
        correlationId,
        security);
  }
}
