package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.audit.AuditStep;
import dev.asyncshop.messaging.audit.AuditSteps;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.messaging.projection.RawRecord;
import dev.asyncshop.messaging.projection.RawRecordHandler;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit-trail projection: every record of the audit topic as a row of {@code audit_step}, read
 * as raw records (audit records are not messages: no envelope, no signature; their hash chains
 * protect them, and {@code ./asyncshop verify-audit} checks those). A record that is not an audit
 * record is parked, never repaired.
 */
final class AuditTrailProjection implements RawRecordHandler, AuditSteps {

  private static final String INSERT =
      "insert into audit_step (topic_partition, topic_offset, correlation_id, at, service,"
          + " outcome, type, transport, destination, message_id, attempt, detail, principal,"
          + " replay_of, chain_id, chain_sequence)"
          + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Supplier<Projections> projections;

  /**
   * @param projections the engine, asked once the context is up: the engine is made from this
   *     projection's definition, so it cannot be given here
   */
  AuditTrailProjection(JdbcTemplate jdbc, JsonMapper json, Supplier<Projections> projections) {
    this.jdbc = jdbc;
    this.json = json;
    this.projections = projections;
  }

  /** The projection, reading {@code topic}. */
  static Projection definition(String topic, RawRecordHandler handler) {
    return new Projection(
            PROJECTION, new ClassPathResource("db/messaging/projections/audit-trail.sql"))
        .withRawTopic(topic, handler);
  }

  /**
   * @throws IllegalArgumentException when the value is not an audit record: not JSON, or without a
   *     time, a service or an outcome
   */
  @Override
  public void apply(RawRecord record) {
    jdbc.update(INSERT, row(record));
  }

  /**
   * A batch's rows in one JDBC batch: a round trip to the database per poll rather than per record,
   * for a projection that takes a row for every step of every message of every service.
   */
  @Override
  public void applyAll(List<RawRecord> records) {
    List<Object[]> rows = new ArrayList<>(records.size());
    for (RawRecord record : records) {
      rows.add(row(record));
    }
    jdbc.batchUpdate(INSERT, rows);
  }

  private Object[] row(RawRecord record) {
    JsonNode audit;
    try {
      audit = json.readTree(record.value());
    } catch (JacksonException e) {
      throw new IllegalArgumentException("Not JSON: " + e.getOriginalMessage(), e);
    }
    Instant at = instant(audit.path("time"));
    String service = text(audit, "service");
    String outcome = text(audit, "outcome");
    if (at == null || service == null || outcome == null) {
      throw new IllegalArgumentException(
          "Not an audit record: it needs a time, a service and an outcome");
    }
    JsonNode chain = audit.path("chain");
    return new Object[] {
      record.partition(),
      record.offset(),
      text(audit, "correlationId"),
      Timestamp.from(at),
      service,
      outcome,
      text(audit, "type"),
      text(audit, "transport"),
      text(audit, "destination"),
      text(audit, "messageId"),
      audit.path("attempt").asInt(0),
      text(audit, "detail"),
      text(audit, "principal"),
      text(audit, "replayOf"),
      text(chain, "id"),
      chain.path("sequence").isNumber() ? chain.path("sequence").asLong() : null
    };
  }

  @Override
  public List<AuditStep> of(String correlationId, int limit) {
    if (!projections.get().readable(PROJECTION)) {
      throw new IllegalStateException(
          "The audit-trail projection has no generation yet: its service has not reached its"
              + " database and Kafka since its first start");
    }
    return jdbc.query(
        "select at, service, outcome, type, transport, destination, message_id, attempt, detail,"
            + " principal, replay_of, chain_id, chain_sequence from audit_step"
            + " where correlation_id = ? order by at, topic_partition, topic_offset limit ?",
        (rs, i) ->
            new AuditStep(
                rs.getTimestamp(1).toInstant(),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getInt(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getObject(13) == null ? null : rs.getLong(13)),
        correlationId,
        limit);
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : null;
  }

  /** ISO-8601 text, or seconds since the epoch with a fraction, as a mapper may write either. */
  private static @Nullable Instant instant(JsonNode time) {
    if (time.isNumber()) {
      return Instant.ofEpochSecond(0, time.decimalValue().movePointRight(9).longValue());
    }
    if (time.isString()) {
      try {
        return Instant.parse(time.asString());
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }
}
