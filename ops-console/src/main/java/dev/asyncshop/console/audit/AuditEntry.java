package dev.asyncshop.console.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One audit record as the timeline shows it: a step in the life of one message, in one service.
 *
 * @param time when the step ended
 * @param service the service that wrote it
 * @param outcome the step (PUBLISHED, RECEIVED, HANDLED, PARKED, REPLAYED, ...)
 * @param type the message type, when known
 * @param transport kafka, rabbitmq or redis
 * @param destination the topic, queue or channel
 * @param messageId the message's id, when it had one
 * @param attempt the handler run the record is about; 0 for publish and receive
 * @param detail the exception or reason of a failure
 * @param principal on whose behalf: the customer, or the operator of a replay or an edit
 * @param replayOf the parking lot's id of the dead letter a replayed message came from
 */
public record AuditEntry(
    Instant time,
    String service,
    String outcome,
    @Nullable String type,
    @Nullable String transport,
    @Nullable String destination,
    @Nullable String messageId,
    int attempt,
    @Nullable String detail,
    @Nullable String principal,
    @Nullable String replayOf) {

  /**
   * @return the entry, or {@code null} for a record without a time, a service or an outcome
   */
  static @Nullable AuditEntry of(JsonNode record) {
    Instant at = instant(record.path("time"));
    String service = text(record, "service");
    String outcome = text(record, "outcome");
    if (at == null || service == null || outcome == null) {
      return null;
    }
    return new AuditEntry(
        at,
        service,
        outcome,
        text(record, "type"),
        text(record, "transport"),
        text(record, "destination"),
        text(record, "messageId"),
        record.path("attempt").asInt(0),
        text(record, "detail"),
        text(record, "principal"),
        text(record, "replayOf"));
  }

  /** ISO-8601 text, or seconds since the epoch with a fraction, as a mapper may write either. */
  private static @Nullable Instant instant(JsonNode time) {
    if (time.isNumber()) {
      return Instant.ofEpochSecond(0, time.decimalValue().movePointRight(9).longValue());
    }
    try {
      return time.isString() ? Instant.parse(time.asString()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || !value.isValueNode() || value.isNull() ? null : value.asString();
  }
}
