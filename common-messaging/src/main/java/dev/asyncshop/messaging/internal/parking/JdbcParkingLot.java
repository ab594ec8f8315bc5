package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.parking.ActionResult;
import dev.asyncshop.messaging.parking.BulkResult;
import dev.asyncshop.messaging.parking.DeadLetterQuery;
import dev.asyncshop.messaging.parking.Lineage;
import dev.asyncshop.messaging.parking.ParkedMessage;
import dev.asyncshop.messaging.parking.ParkedPage;
import dev.asyncshop.messaging.parking.ParkedState;
import dev.asyncshop.messaging.parking.ParkedSummary;
import dev.asyncshop.messaging.parking.ParkingLot;
import dev.asyncshop.messaging.parking.ParkingLotException;
import dev.asyncshop.messaging.parking.ParkingLotException.Problem;
import dev.asyncshop.messaging.parking.ReplayOutcome;
import dev.asyncshop.messaging.parking.Selection;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.MessageHandler;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.Replay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parking lot in the service's database ({@code parked_message}, beside its outbox and
 * idempotency tables). Every change of a row's state is one conditional update ({@code where state
 * = 'PARKED'}), so of two operators acting on one message at once, one acts and the other is told
 * who did; a replay first claims its row ({@code REPLAYING}) and commits that, so nothing else can
 * touch it while its handler runs, and a claim whose replay never finished (the instance died) may
 * be taken again after {@code claimTimeout}.
 */
public final class JdbcParkingLot implements ParkingLot, DeadLetterIntake {

  private static final Logger log = LoggerFactory.getLogger(JdbcParkingLot.class);

  private static final String TABLE = "parked_message";
  private static final String OUTBOX = "outbox";
  private static final int KEY_LENGTH = 600;
  private static final int EDIT_AUDIT_CHARS = 2_000;
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private static final String SUMMARY_COLUMNS =
      "id, state, transport, destination, consumer_group, dead_letters, security, reason,"
          + " exception_class, exception_message, attempts, last_failure_at, parked_at,"
          + " message_id, message_type, correlation_id, encrypted, replay_count, replayed_by,"
          + " replayed_at, edited_by, edited_at, purged_by, state_changed_at";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final ConsumerPipelines pipelines;
  private final RouteTable routes;
  private final PayloadCodec codec;
  private final MessageRecords records;
  private final AuditTrail audit;
  private final MeterRegistry meters;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration claimTimeout;
  private final Duration replayableFor;
  private final @Nullable ParkedOutboxRows outbox;
  private final Map<String, ConsumerPipeline> consumers = new ConcurrentHashMap<>();

  JdbcParkingLot(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      ConsumerPipelines pipelines,
      RouteTable routes,
      PayloadCodec codec,
      MessageRecords records,
      AuditTrail audit,
      MeterRegistry meters,
      JsonMapper json,
      Clock clock,
      Duration claimTimeout,
      Duration replayableFor,
      @Nullable ParkedOutboxRows outbox) {
    this.replayableFor = replayableFor;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.pipelines = pipelines;
    this.routes = routes;
    this.codec = codec;
    this.records = records;
    this.audit = audit;
    this.meters = meters;
    this.json = json;
    this.clock = clock;
    this.claimTimeout = claimTimeout;
    this.outbox = outbox;
  }

  // ---- intake ----

  @Override
  public boolean park(ArrivedDeadLetter arrived) {
    Map<String, String> headers = arrived.headers();
    DeadLetterReason reason = reasonOf(headers.get(DeadLetterHeaders.REASON), arrived);
    String destination =
        headers.getOrDefault(DeadLetterHeaders.ORIGINAL_DESTINATION, arrived.destination());
    String group = headers.getOrDefault(DeadLetterHeaders.CONSUMER_GROUP, arrived.group());
    Envelope envelope = arrived.envelope();
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    int inserted =
        jdbc.update(
            "insert into "
                + TABLE
                + " (id, dead_letter_key, transport, destination, consumer_group, dead_letters,"
                + " security, reason, exception_class, exception_message, stack_summary, attempts,"
                + " first_failure_at, last_failure_at, parked_at, message_id, message_type,"
                + " correlation_id, envelope, payload, headers, encrypted, state, state_changed_at,"
                + " outbox_id)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?) on conflict (dead_letter_key) do nothing",
            id,
            keyOf(arrived.key()),
            arrived.transport(),
            destination,
            group,
            arrived.deadLetters(),
            reason.isSecurity() || arrived.deadLetters().contains(".security."),
            reason.name(),
            headers.get(DeadLetterHeaders.EXCEPTION_CLASS),
            headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE),
            headers.get(DeadLetterHeaders.STACK_SUMMARY),
            attemptsOf(headers.get(DeadLetterHeaders.ATTEMPTS)),
            timestamp(instantOf(headers.get(DeadLetterHeaders.FIRST_FAILURE_TIME))),
            timestamp(instantOf(headers.get(DeadLetterHeaders.LAST_FAILURE_TIME))),
            Timestamp.from(now),
            envelope != null ? envelope.id() : null,
            envelope != null ? envelope.type() : null,
            envelope != null ? envelope.correlationId() : null,
            envelope != null ? json.writeValueAsString(envelope) : null,
            arrived.payload(),
            json.writeValueAsString(headers),
            envelope != null && envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) != null,
            ParkedState.PARKED.name(),
            Timestamp.from(now),
            arrived.outboxId());
    if (inserted == 0) {
      return false;
    }
    Counter.builder("messaging.parking.lot.arrivals")
        .description("Dead letters that reached the parking lot")
        .tag("transport", arrived.transport())
        .tag("destination", destination)
        .tag("reason", reason.name())
        .register(meters)
        .increment();
    audit.recordOperation(
        AuditOutcome.PARKED,
        envelope != null ? envelope.id() : null,
        envelope != null ? envelope.type() : null,
        arrived.transport(),
        destination,
        envelope != null ? envelope.correlationId() : null,
        0,
        null,
        id,
        reason.name() + " from " + arrived.deadLetters());
    return true;
  }

  private static DeadLetterReason reasonOf(@Nullable String header, ArrivedDeadLetter arrived) {
    if (header != null) {
      try {
        return DeadLetterReason.valueOf(header);
      } catch (IllegalArgumentException unknown) {
        log.debug("Unknown dead-letter reason {} in {}", header, arrived.deadLetters());
      }
    }
    return arrived.fallbackReason();
  }

  /** A key short enough for its column: long ones (a long queue name) by their hash. */
  private static String keyOf(String key) {
    if (key.length() <= KEY_LENGTH) {
      return key;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return key.substring(0, 200) + ":sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  // ---- reading ----

  @Override
  public ParkedPage list(DeadLetterQuery query, int page, int size) {
    if (page < 0 || size < 1 || size > ParkingLot.MAX_BULK) {
      throw new ParkingLotException(
          Problem.INVALID_SELECTION,
          "page must be 0 or more and size from 1 to " + ParkingLot.MAX_BULK);
    }
    Where where = Where.of(query);
    List<Object> args = new ArrayList<>(where.args());
    args.add(size);
    args.add((long) page * size);
    List<ParkedSummary> items =
        jdbc.query(
            "select "
                + SUMMARY_COLUMNS
                + " from "
                + TABLE
                + where.sql()
                + " order by parked_at desc, id limit ? offset ?",
            SUMMARY,
            args.toArray());
    Map<String, Long> counts = new LinkedHashMap<>();
    jdbc.query(
        "select reason, count(*) from " + TABLE + where.sql() + " group by reason order by reason",
        (ResultSet rs) -> {
          counts.put(rs.getString(1), rs.getLong(2));
        },
        where.args().toArray());
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    return new ParkedPage(items, page, size, total, counts);
  }

  @Override
  public Optional<ParkedMessage> find(String id) {
    return load(id).map(Stored::message);
  }

  /**
   * A parked message with what only this class needs of it, in one query: its payload as stored
   * (ciphertext when encrypted) and, for an outbox row, the row's id.
   */
  private record Stored(ParkedMessage message, byte[] payload, @Nullable String outboxId) {}

  private Optional<Stored> load(String id) {
    return jdbc
        .query(
            "select "
                + SUMMARY_COLUMNS
                + ", envelope, payload, headers, stack_summary, first_failure_at, outbox_id from "
                + TABLE
                + " where id = ?",
            (rs, n) -> stored(rs),
            id)
        .stream()
        .findFirst();
  }

  private Stored stored(ResultSet rs) throws SQLException {
    ParkedSummary summary = SUMMARY.mapRow(rs, 0);
    String envelope = rs.getString("envelope");
    byte[] payload = rs.getBytes("payload");
    ParkedMessage message =
        new ParkedMessage(
            summary,
            envelope == null ? null : json.readValue(envelope, Envelope.class),
            summary.encrypted() ? null : text(payload),
            json.readValue(rs.getString("headers"), HEADERS),
            rs.getString("stack_summary"),
            instant(rs.getTimestamp("first_failure_at")));
    return new Stored(message, payload, rs.getString("outbox_id"));
  }

  private Stored existing(String id) {
    return load(id)
        .orElseThrow(
            () -> new ParkingLotException(Problem.NOT_FOUND, "No parked message has id " + id));
  }

  // ---- replay ----

  @Override
  public ActionResult replay(String id, String operator) {
    Stored stored = existing(id);
    ParkedMessage message = stored.message();
    ParkedSummary summary = message.summary();
    requireReplayable(message);
    Envelope envelope = message.envelope();
    byte[] payload = stored.payload();
    if (stored.outboxId() != null) {
      return requeue(summary, stored.outboxId(), envelope, payload, operator);
    }
    ConsumerPipeline consumer = consumerOf(summary);
    int count = claim(id, operator);
    Replay replay = new Replay(id, operator, count, summary.lineage().editedBy() != null);
    auditOperation(AuditOutcome.REPLAYED, summary, count, operator, "replay " + count);
    ReplayDelivery delivery =
        new ReplayDelivery(
            withLineage(envelope, replay), payload, replay, failed -> parkAgain(id, failed));
    try {
      ConsumeResult result = consumer.process(delivery);
      return finish(id, operator, result);
    } catch (DependencyUnavailableException e) {
      release(id);
      count(ReplayOutcome.DEPENDENCY_UNAVAILABLE);
      return ActionResult.done(
          id,
          ReplayOutcome.DEPENDENCY_UNAVAILABLE,
          "A dependency of its handler is down; it stays parked: " + causeOf(e));
    } catch (MessageInProgressException e) {
      release(id);
      throw new ParkingLotException(
          Problem.STATE_CHANGED,
          "Another consumer of " + summary.group() + " is handling this message right now");
    } catch (RuntimeException e) {
      release(id);
      throw e;
    }
  }

  private ActionResult finish(String id, String operator, ConsumeResult result) {
    if (result instanceof ConsumeResult.DeadLettered parkedAgain) {
      count(ReplayOutcome.PARKED_AGAIN);
      return ActionResult.done(id, ReplayOutcome.PARKED_AGAIN, parkedAgain.deadLetter().describe());
    }
    ReplayOutcome outcome =
        result instanceof ConsumeResult.Duplicate
            ? ReplayOutcome.ALREADY_HANDLED
            : ReplayOutcome.HANDLED;
    jdbc.update(
        "update "
            + TABLE
            + " set state = 'REPLAYED', state_changed_at = ? where id = ? and state = 'REPLAYING'",
        Timestamp.from(clock.instant()),
        id);
    count(outcome);
    log.info("Parked message {} replayed by {}: {}", id, operator, outcome);
    return ActionResult.done(
        id,
        outcome,
        outcome == ReplayOutcome.ALREADY_HANDLED
            ? "It had been handled already; nothing changed"
            : null);
  }

  /** Hands an outbox row back to the relay, the lineage on its envelope, in one transaction. */
  private ActionResult requeue(
      ParkedSummary summary, String outboxId, Envelope envelope, byte[] payload, String operator) {
    ParkedOutboxRows rows = outboxRows(summary);
    int count = summary.lineage().replayCount() + 1;
    Replay replay = new Replay(summary.id(), operator, count, summary.lineage().editedBy() != null);
    transactions.executeWithoutResult(
        status -> {
          int changed =
              jdbc.update(
                  "update "
                      + TABLE
                      + " set state = 'REPLAYED', state_changed_at = ?, replay_count = ?,"
                      + " replayed_by = ?, replayed_at = ? where id = ? and state = 'PARKED'",
                  Timestamp.from(clock.instant()),
                  count,
                  operator,
                  Timestamp.from(clock.instant()),
                  summary.id());
          if (changed == 0) {
            throw stateChanged(summary.id());
          }
          if (!rows.requeue(outboxId, withLineage(envelope, replay), payload)) {
            throw new ParkingLotException(
                Problem.DESTINATION_GONE,
                "Outbox row " + outboxId + " is gone: it was sent or deleted meanwhile");
          }
        });
    rows.wakeUp();
    auditOperation(AuditOutcome.REPLAYED, summary, count, operator, "replay " + count);
    count(ReplayOutcome.QUEUED);
    return ActionResult.done(summary.id(), ReplayOutcome.QUEUED, null);
  }

  private void requireReplayable(ParkedMessage message) {
    ParkedSummary summary = message.summary();
    if (summary.state() != ParkedState.PARKED && summary.state() != ParkedState.REPLAYING) {
      throw stateChanged(summary.id());
    }
    if (summary.security()) {
      throw new ParkingLotException(
          Problem.NOT_REPLAYABLE,
          "It was refused for its signature or encryption ("
              + summary.reason()
              + "): look into it as a security incident; it is never replayed");
    }
    if (summary.deadLetters().startsWith(ArrivedDeadLetter.PROJECTION)) {
      throw new ParkingLotException(
          Problem.NOT_REPLAYABLE,
          "A projection could not apply it; a projection is not replayed one event at a time: fix"
              + " what refused it, rebuild the projection (POST /ops/projections/"
              + summary.group()
              + "/rebuild), then purge this one");
    }
    if (message.envelope() == null) {
      throw new ParkingLotException(
          Problem.NOT_REPLAYABLE,
          "Its envelope could not be read, so no consumer can take it: purge it, and fix its"
              + " sender");
    }
    Instant failed = summary.lastFailure() != null ? summary.lastFailure() : summary.parkedAt();
    if (!OUTBOX.equals(summary.deadLetters())
        && failed.plus(replayableFor).isBefore(clock.instant())) {
      throw new ParkingLotException(
          Problem.NOT_REPLAYABLE,
          "It failed at "
              + failed
              + ", more than messaging.parking-lot.replayable-for ("
              + replayableFor
              + ") ago: its consumer may no longer remember whether it handled it since, so a"
              + " replay could act twice. Look at it, act by hand if needed, and purge it");
    }
    var route = routes.find(message.envelope().type());
    if (route != null && route.kind() == MessageKind.QUERY) {
      throw new ParkingLotException(
          Problem.NOT_REPLAYABLE,
          "It is a query: its asker stopped waiting for the answer long ago; ask again instead");
    }
  }

  private ConsumerPipeline consumerOf(ParkedSummary summary) {
    if (consumers.isEmpty()) {
      for (Transport transport : Transport.values()) {
        for (ConsumerPipeline pipeline : pipelines.forTransport(transport)) {
          var subscription = pipeline.subscription();
          consumers.put(
              consumerKey(
                  subscription.transport().id(), subscription.destination(), subscription.group()),
              pipeline);
        }
      }
    }
    ConsumerPipeline consumer =
        consumers.get(consumerKey(summary.transport(), summary.destination(), summary.group()));
    if (consumer == null) {
      throw new ParkingLotException(
          Problem.DESTINATION_GONE,
          "Nothing in this service consumes "
              + summary.transport()
              + " destination "
              + summary.destination()
              + " as group "
              + summary.group()
              + " any more; purge it, or replay it from where it is consumed now");
    }
    return consumer;
  }

  private static String consumerKey(String transport, String destination, @Nullable String group) {
    return transport + "|" + destination + "|" + group;
  }

  /** Claims a parked row for one replay, committed; returns which replay of it this is. */
  private int claim(String id, String operator) {
    Instant now = clock.instant();
    List<Integer> counts =
        jdbc.queryForList(
            "update "
                + TABLE
                + " set state = 'REPLAYING', state_changed_at = ?, replay_count = replay_count + 1,"
                + " replayed_by = ?, replayed_at = ? where id = ? and (state = 'PARKED' or"
                + " (state = 'REPLAYING' and state_changed_at < ?)) returning replay_count",
            Integer.class,
            Timestamp.from(now),
            operator,
            Timestamp.from(now),
            id,
            Timestamp.from(now.minus(claimTimeout)));
    if (counts.isEmpty()) {
      throw stateChanged(id);
    }
    return counts.get(0);
  }

  /** A replay that did not get to handle the message: parked as before, the count undone. */
  private void release(String id) {
    jdbc.update(
        "update "
            + TABLE
            + " set state = 'PARKED', state_changed_at = ?, replay_count = replay_count - 1"
            + " where id = ? and state = 'REPLAYING'",
        Timestamp.from(clock.instant()),
        id);
  }

  /** The replayed message failed again: its row holds the new failure, parked again. */
  private void parkAgain(String id, DeadLetter deadLetter) {
    Map<String, String> headers = deadLetter.headers();
    jdbc.update(
        "update "
            + TABLE
            + " set state = 'PARKED', state_changed_at = ?, reason = ?, security = ?,"
            + " exception_class = ?, exception_message = ?, stack_summary = ?, attempts = ?,"
            + " first_failure_at = ?, last_failure_at = ? where id = ?",
        Timestamp.from(clock.instant()),
        deadLetter.reason().name(),
        deadLetter.reason().isSecurity(),
        headers.get(DeadLetterHeaders.EXCEPTION_CLASS),
        headers.get(DeadLetterHeaders.EXCEPTION_MESSAGE),
        headers.get(DeadLetterHeaders.STACK_SUMMARY),
        deadLetter.attempts(),
        Timestamp.from(deadLetter.firstFailure()),
        Timestamp.from(deadLetter.lastFailure()),
        id);
  }

  private static Envelope withLineage(Envelope envelope, Replay replay) {
    return envelope
        .withExtension(CloudEventAttributes.REPLAYOF, replay.parkedId())
        .withExtension(CloudEventAttributes.REPLAYEDBY, replay.operator())
        .withExtension(CloudEventAttributes.REPLAYCOUNT, Integer.toString(replay.count()));
  }

  @Override
  public BulkResult replay(Selection selection, boolean dryRun, String operator) {
    return bulk(selection, dryRun, id -> replay(id, operator));
  }

  // ---- edit ----

  @Override
  public ParkedMessage edit(String id, String payload, String operator) {
    ParkedMessage message = existing(id).message();
    ParkedSummary summary = message.summary();
    if (summary.state() != ParkedState.PARKED) {
      throw stateChanged(id);
    }
    if (summary.encrypted()) {
      throw new ParkingLotException(
          Problem.INVALID_EDIT,
          "Its payload is encrypted, and the parking lot never decrypts one: replay it as it is");
    }
    if (message.envelope() == null || summary.type() == null) {
      throw new ParkingLotException(
          Problem.INVALID_EDIT, "Its envelope could not be read, so its type is unknown");
    }
    Class<?> type = recordOf(summary);
    if (type == null) {
      throw new ParkingLotException(
          Problem.INVALID_EDIT, "This service has no record of type " + summary.type());
    }
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    try {
      requireKnownFields(payload, type);
      codec.read(bytes, type);
    } catch (RuntimeException e) {
      throw new ParkingLotException(
          Problem.INVALID_EDIT,
          "The payload does not read as "
              + summary.type()
              + " ("
              + type.getSimpleName()
              + "): "
              + e.getMessage());
    }
    Instant now = clock.instant();
    int changed =
        jdbc.update(
            "update "
                + TABLE
                + " set payload = ?, edited_by = ?, edited_at = ? where id = ? and state = 'PARKED'",
            bytes,
            operator,
            Timestamp.from(now),
            id);
    if (changed == 0) {
      throw stateChanged(id);
    }
    String before = String.valueOf(message.payload());
    auditOperation(
        AuditOutcome.EDITED,
        summary,
        summary.lineage().replayCount(),
        operator,
        "payload was: "
            + (before.length() > EDIT_AUDIT_CHARS
                ? before.substring(0, EDIT_AUDIT_CHARS) + "..."
                : before));
    meters
        .counter("messaging.parking.lot.operations", "operation", "edit", "outcome", "EDITED")
        .increment();
    return existing(id).message();
  }

  /**
   * The record a parked message must read as: what its handler takes, for a message consumed here;
   * the application's record of its type, for an outbox row.
   */
  private @Nullable Class<?> recordOf(ParkedSummary summary) {
    if (!OUTBOX.equals(summary.deadLetters())) {
      MessageHandler handler = consumerOf(summary).subscription().handlerOf(summary.type());
      if (handler != null) {
        return handler.payloadType();
      }
    }
    return records.of(summary.type());
  }

  /**
   * An edit is checked more strictly than a message from the wire: a field the record does not have
   * is a typing mistake of the operator's, which a lenient reader would drop in silence.
   */
  private void requireKnownFields(String payload, Class<?> type) {
    if (!type.isRecord()) {
      return;
    }
    Set<String> known = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      known.add(component.getName());
    }
    JsonNode tree = json.readTree(payload);
    if (!tree.isObject()) {
      throw new IllegalArgumentException("a JSON object is expected");
    }
    for (String field : tree.propertyNames()) {
      if (!known.contains(field)) {
        throw new IllegalArgumentException(
            "it has no field '" + field + "'; its fields are " + known);
      }
    }
  }

  // ---- purge ----

  @Override
  public ActionResult purge(String id, String operator) {
    Stored stored = existing(id);
    ParkedSummary summary = stored.message().summary();
    transactions.executeWithoutResult(
        status -> {
          int changed =
              jdbc.update(
                  "update "
                      + TABLE
                      + " set state = 'PURGED', state_changed_at = ?, purged_by = ?"
                      + " where id = ? and state = 'PARKED'",
                  Timestamp.from(clock.instant()),
                  operator,
                  id);
          if (changed == 0) {
            throw stateChanged(id);
          }
          if (stored.outboxId() != null) {
            outboxRows(summary).discard(stored.outboxId());
          }
        });
    auditOperation(
        AuditOutcome.PURGED,
        summary,
        summary.lineage().replayCount(),
        operator,
        "purged: " + summary.reason());
    meters
        .counter("messaging.parking.lot.operations", "operation", "purge", "outcome", "PURGED")
        .increment();
    log.info("Parked message {} purged by {}", id, operator);
    return ActionResult.done(id, null, null);
  }

  @Override
  public BulkResult purge(Selection selection, boolean dryRun, String operator) {
    return bulk(selection, dryRun, id -> purge(id, operator));
  }

  // ---- bulk ----

  private BulkResult bulk(
      Selection selection, boolean dryRun, java.util.function.Function<String, ActionResult> act) {
    List<ParkedSummary> matched = selected(selection);
    boolean more = matched.size() > MAX_BULK;
    if (more) {
      matched = matched.subList(0, MAX_BULK);
    }
    if (dryRun) {
      return new BulkResult(true, matched, more, List.of());
    }
    List<ActionResult> results = new ArrayList<>(matched.size());
    for (ParkedSummary summary : matched) {
      try {
        results.add(act.apply(summary.id()));
      } catch (ParkingLotException refused) {
        results.add(new ActionResult(summary.id(), null, refused.problem(), refused.getMessage()));
      }
    }
    return new BulkResult(false, matched, more, results);
  }

  /** The messages a selection names, at most one more than {@link #MAX_BULK}. */
  private List<ParkedSummary> selected(Selection selection) {
    if (selection.ids() != null) {
      if (selection.ids().isEmpty()) {
        throw new ParkingLotException(Problem.INVALID_SELECTION, "The selection names no ids");
      }
      List<ParkedSummary> found = new ArrayList<>();
      for (String id : selection.ids()) {
        found.add(existing(id).message().summary());
      }
      return found;
    }
    DeadLetterQuery query = selection.query();
    if (query == null) {
      throw new ParkingLotException(
          Problem.INVALID_SELECTION, "Give either ids or a filter to select messages");
    }
    if (query.state() != null && query.state() != ParkedState.PARKED) {
      throw new ParkingLotException(
          Problem.INVALID_SELECTION, "Only parked messages can be replayed or purged");
    }
    Where where =
        Where.of(
            new DeadLetterQuery(
                ParkedState.PARKED,
                query.transport(),
                query.destination(),
                query.type(),
                query.reason(),
                query.exceptionClass(),
                query.from(),
                query.to(),
                query.correlationId(),
                query.security()));
    List<Object> args = new ArrayList<>(where.args());
    args.add(MAX_BULK + 1);
    // Oldest first: a bulk replay hands a key's messages over in the order they failed.
    return jdbc.query(
        "select "
            + SUMMARY_COLUMNS
            + " from "
            + TABLE
            + where.sql()
            + " order by parked_at, id"
            + " limit ?",
        SUMMARY,
        args.toArray());
  }

  // ---- helpers ----

  private ParkedOutboxRows outboxRows(ParkedSummary summary) {
    if (outbox == null) {
      throw new ParkingLotException(
          Problem.DESTINATION_GONE,
          "This service has no outbox any more to send " + summary.id() + " from");
    }
    return outbox;
  }

  private ParkingLotException stateChanged(String id) {
    ParkedSummary now = existing(id).message().summary();
    Lineage lineage = now.lineage();
    String what =
        switch (now.state()) {
          case PARKED -> "it is parked";
          case REPLAYING ->
              "it is being replayed by " + lineage.replayedBy() + " since " + lineage.replayedAt();
          case REPLAYED ->
              "it was replayed by " + lineage.replayedBy() + " at " + lineage.replayedAt();
          case PURGED ->
              "it was purged by " + lineage.purgedBy() + " at " + lineage.stateChangedAt();
        };
    return new ParkingLotException(
        Problem.STATE_CHANGED, "Parked message " + id + " was not touched: " + what);
  }

  private void auditOperation(
      AuditOutcome outcome, ParkedSummary summary, int attempt, String operator, String detail) {
    audit.recordOperation(
        outcome,
        summary.messageId(),
        summary.type(),
        summary.transport(),
        summary.destination(),
        summary.correlationId(),
        attempt,
        operator,
        summary.id(),
        detail);
  }

  private void count(ReplayOutcome outcome) {
    meters
        .counter(
            "messaging.parking.lot.operations", "operation", "replay", "outcome", outcome.name())
        .increment();
  }

  private static String causeOf(Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return cause.toString();
  }

  private static @Nullable String text(byte[] payload) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(payload))
          .toString();
    } catch (CharacterCodingException notText) {
      return null;
    }
  }

  private static int attemptsOf(@Nullable String header) {
    try {
      return header == null ? 0 : Integer.parseInt(header);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static @Nullable Instant instantOf(@Nullable String header) {
    try {
      return header == null ? null : Instant.parse(header);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static final RowMapper<ParkedSummary> SUMMARY =
      (rs, n) ->
          new ParkedSummary(
              rs.getString("id"),
              ParkedState.valueOf(rs.getString("state")),
              rs.getString("transport"),
              rs.getString("destination"),
              rs.getString("consumer_group"),
              rs.getString("dead_letters"),
              rs.getBoolean("security"),
              DeadLetterReason.valueOf(rs.getString("reason")),
              rs.getString("exception_class"),
              rs.getString("exception_message"),
              rs.getInt("attempts"),
              instant(rs.getTimestamp("last_failure_at")),
              rs.getTimestamp("parked_at").toInstant(),
              rs.getString("message_id"),
              rs.getString("message_type"),
              rs.getString("correlation_id"),
              rs.getBoolean("encrypted"),
              new Lineage(
                  rs.getInt("replay_count"),
                  rs.getString("replayed_by"),
                  instant(rs.getTimestamp("replayed_at")),
                  rs.getString("edited_by"),
                  instant(rs.getTimestamp("edited_at")),
                  rs.getString("purged_by"),
                  rs.getTimestamp("state_changed_at").toInstant()));

  /** The SQL condition of a query and its arguments. */
  private record Where(String sql, List<Object> args) {

    static Where of(DeadLetterQuery query) {
      List<String> conditions = new ArrayList<>();
      List<Object> args = new ArrayList<>();
      add(conditions, args, "state = ?", query.state() == null ? null : query.state().name());
      add(conditions, args, "transport = ?", query.transport());
      add(conditions, args, "destination = ?", query.destination());
      add(conditions, args, "message_type = ?", query.type());
      add(conditions, args, "reason = ?", query.reason() == null ? null : query.reason().name());
      if (query.exceptionClass() != null) {
        conditions.add("(exception_class = ? or exception_class like ?)");
        args.add(query.exceptionClass());
        args.add("%." + query.exceptionClass());
      }
      add(conditions, args, "parked_at >= ?", timestamp(query.from()));
      add(conditions, args, "parked_at < ?", timestamp(query.to()));
      add(conditions, args, "correlation_id = ?", query.correlationId());
      add(conditions, args, "security = ?", query.security());
      return new Where(
          conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions), args);
    }

    private static void add(
        List<String> conditions, List<Object> args, String condition, @Nullable Object value) {
      if (value != null) {
        conditions.add(condition);
        args.add(value);
      }
    }
  }
}
