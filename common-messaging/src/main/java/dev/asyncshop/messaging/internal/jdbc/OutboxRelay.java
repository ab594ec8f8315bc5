package dev.asyncshop.messaging.internal.jdbc;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.MessageDispatcher;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.internal.parking.ParkedOutboxRows;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.OutboundMessage;
import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox's unsent rows and marks them sent, keeping the order of each partition key.
 *
 * <p>Only the oldest unsent row of a key (by {@code seq}, the order rows were written) can be
 * claimed, with {@code FOR UPDATE SKIP LOCKED}; holding it, a relay owns the key until it commits,
 * and takes the key's later rows along. So several instances relay side by side without sending a
 * row twice or a key's rows out of order. A row whose send fails stays the oldest of its key and
 * waits with exponential backoff, holding up the later rows of its key and of no other. Rows
 * without a key are each on their own: they leave in no particular order and hold up nothing.
 *
 * <p>A batch is sent in waves: each wave sends the next row of every key in the batch all at once
 * and then awaits them, so the broker round trips of different keys overlap while the rows of one
 * key leave one after the other. Every message carries its row's place as the CloudEvents {@code
 * sequence} extension, so consumers can tell a late one. Delivery is at least once: a crash after
 * the send and before the commit sends the row again, which consumers' idempotency absorbs (the
 * message id is the row id).
 *
 * <p>A row its broker kept refusing ({@code messaging.outbox.park-after} attempts while the broker
 * was reachable: an unroutable destination, a record too large, a permission) is parked: marked
 * {@code parked_at}, copied into the parking lot, and tried no more until an operator replays it.
 * It still holds up its key's later rows, which must not overtake it.
 *
 * <p>Rows of one key are in write order when the transactions that write them follow each other, as
 * they do when each first locks the entity the key names; a row whose transaction commits after a
 * later-numbered row of its key was already sent leaves after it.
 */
final class OutboxRelay implements SmartLifecycle, ParkedOutboxRows {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final int CLEANUP_EVERY_POLLS = 600;

  private static final RowMapper<Row> ROW =
      (rs, n) ->
          new Row(
              rs.getString("id"),
              rs.getString("message_type"),
              rs.getString("partition_key"),
              rs.getLong("seq"),
              rs.getString("envelope"),
              rs.getString("payload"),
              rs.getInt("attempts"),
              rs.getInt("refusals"),
              rs.getBoolean("due"));

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final MessageDispatcher dispatcher;
  private final RouteTable routes;
  private final JsonMapper json;
  private final MessagingProperties.Outbox settings;
  private final String table;
  private final String claimHeads;
  private final String claimFollowers;
  private final BrokerConnectivity connectivity;
  private final ObjectProvider<DeadLetterIntake> parkingLot;

  /**
   * At most one pending wake-up. It must outlive a busy relay: a wake-up that arrives while the
   * relay is sending a batch is kept, so the rows committed meanwhile leave right after that batch
   * and not one poll interval later.
   */
  private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);

  private volatile @Nullable Thread worker;

  OutboxRelay(
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      MessageDispatcher dispatcher,
      RouteTable routes,
      JsonMapper json,
      MessagingProperties.Outbox settings,
      BrokerConnectivity connectivity,
      ObjectProvider<DeadLetterIntake> parkingLot) {
    this.jdbc = jdbc;
    this.connectivity = connectivity;
    this.parkingLot = parkingLot;
    this.transactions = transactions;
    this.dispatcher = dispatcher;
    this.routes = routes;
    this.json = json;
    this.settings = settings;
    this.table = checkedName(settings.table());
    String columns =
        "select id, message_type, partition_key, seq, envelope, payload, attempts, refusals,"
            + " next_attempt_at <= now() as due from ";
    // A row is a head when no older row of its key is unsent; only heads are claimed, so a
    // relay that holds a key's head holds the key.
    this.claimHeads =
        columns
            + table
            + " o where sent_at is null and parked_at is null and next_attempt_at <= now()"
            + " and (partition_key is null or not exists (select 1 from "
            + table
            + " e where e.partition_key = o.partition_key and e.sent_at is null and e.seq < o.seq))"
            + " order by seq limit ? for update skip locked";
    this.claimFollowers =
        columns
            + table
            + " where sent_at is null and parked_at is null and partition_key = any(?)"
            + " and not (id = any(?))"
            + " order by seq limit ? for update";
  }

  static String checkedName(String table) {
    if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException("Not a table name: " + table);
    }
    return table;
  }

  void registerMetrics(MessagingMetrics metrics) {
    Gauge.builder(MessagingMetrics.OUTBOX_BACKLOG, this::backlog)
        .description("Outbox rows not sent yet")
        .register(metrics.registry());
    Gauge.builder(MessagingMetrics.OUTBOX_OLDEST_AGE, this::oldestAgeSeconds)
        .description("Age of the oldest unsent outbox row")
        .baseUnit("seconds")
        .register(metrics.registry());
    Gauge.builder(MessagingMetrics.OUTBOX_PARKED, this::parked)
        .description("Outbox rows parked after their broker kept refusing them")
        .register(metrics.registry());
  }

  /** Rows waiting to be sent; the parked ones wait for an operator instead. */
  double backlog() {
    Long count =
        jdbc.queryForObject(
            "select count(*) from " + table + " where sent_at is null and parked_at is null",
            Long.class);
    return count == null ? 0 : count;
  }

  double parked() {
    Long count =
        jdbc.queryForObject(
            "select count(*) from " + table + " where sent_at is null and parked_at is not null",
            Long.class);
    return count == null ? 0 : count;
  }

  double oldestAgeSeconds() {
    Timestamp oldest =
        jdbc.queryForObject(
            "select min(created_at) from " + table + " where sent_at is null and parked_at is null",
            Timestamp.class);
    return oldest == null
        ? 0
        : Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0;
  }

  /** Makes the relay look for rows now; called after a transaction that wrote one committed. */
  @Override
  public void wakeUp() {
    wakeUps.offer(Boolean.TRUE);
  }

  @Override
  public void start() {
    Thread thread = new Thread(this::run, "messaging-outbox-relay");
    thread.setDaemon(true);
    worker = thread;
    thread.start();
  }

  @Override
  public void stop() {
    Thread thread = worker;
    worker = null;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(SEND_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return worker != null;
  }

  private void run() {
    int polls = 0;
    while (worker == Thread.currentThread()) {
      try {
        int sent = relayBatch();
        if (++polls % CLEANUP_EVERY_POLLS == 0) {
          deleteOldSentRows();
        }
        if (sent < settings.batchSize()) {
          wakeUps.poll(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("Outbox relay pass failed; trying again: {}", e.toString());
        try {
          Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Sends one batch in one transaction; returns how many rows it took. */
  int relayBatch() {
    Integer taken = transactions.execute(status -> sendClaimedRows());
    return taken == null ? 0 : taken;
  }

  private int sendClaimedRows() {
    List<Row> heads = jdbc.query(claimHeads, ROW, settings.batchSize());
    List<Row> followers = followersOf(heads, settings.batchSize() - heads.size());
    List<Deque<Row>> keys = inKeyOrder(heads, followers);
    List<String> sent = new ArrayList<>(heads.size() + followers.size());
    while (!keys.isEmpty()) {
      keys = sendWave(keys, sent);
    }
    markSent(sent);
    return heads.size() + followers.size();
  }

  /**
   * One statement for the batch's sent rows rather than one per row: they commit together either
   * way, in the batch's transaction.
   */
  private void markSent(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    jdbc.update(
        connection -> {
          PreparedStatement statement =
              connection.prepareStatement(
                  "update " + table + " set sent_at = now() where id = any(?)");
          statement.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
          return statement;
        });
  }

  /**
   * The later unsent rows of the keys whose oldest rows this relay holds; locked without skipping,
   * since no other relay takes a row of a key whose oldest row it does not hold.
   */
  private List<Row> followersOf(List<Row> heads, int limit) {
    List<Row> keyed = heads.stream().filter(head -> head.key() != null).toList();
    if (keyed.isEmpty() || limit <= 0) {
      return List.of();
    }
    Object[] keys = keyed.stream().map(Row::key).toArray();
    Object[] ids = keyed.stream().map(Row::id).toArray();
    return jdbc.query(
        connection -> {
          PreparedStatement statement = connection.prepareStatement(claimFollowers);
          statement.setArray(1, connection.createArrayOf("text", keys));
          statement.setArray(2, connection.createArrayOf("varchar", ids));
          statement.setInt(3, limit);
          return statement;
        },
        ROW);
  }

  /** One queue per key, its rows in write order; each row without a key in a queue of its own. */
  private static List<Deque<Row>> inKeyOrder(List<Row> heads, List<Row> followers) {
    Map<String, Deque<Row>> byKey = new LinkedHashMap<>();
    List<Deque<Row>> queues = new ArrayList<>(heads.size());
    for (Row head : heads) {
      Deque<Row> queue = new ArrayDeque<>();
      queue.add(head);
      queues.add(queue);
      if (head.key() != null) {
        byKey.put(head.key(), queue);
      }
    }
    for (Row follower : followers) {
      Deque<Row> queue = byKey.get(follower.key());
      // A row numbered before its key's head but committed after the head was claimed is left
      // for the next batch, not sent behind a later row.
      if (queue != null && follower.seq() > queue.getLast().seq()) {
        queue.add(follower);
      }
    }
    return queues;
  }

  /**
   * Sends the first row of every queue at once, then awaits each, adding the ids of those the
   * broker took to {@code sent}; returns the queues that go on: a queue whose row failed stops
   * there, its later rows waiting behind it.
   */
  private List<Deque<Row>> sendWave(List<Deque<Row>> queues, List<String> sent) {
    List<CompletableFuture<Void>> sends = new ArrayList<>(queues.size());
    for (Deque<Row> queue : queues) {
      sends.add(send(queue.getFirst()));
    }
    List<Deque<Row>> next = new ArrayList<>(queues.size());
    for (int i = 0; i < queues.size(); i++) {
      Deque<Row> queue = queues.get(i);
      Row row = queue.removeFirst();
      if (!awaitSent(row, sends.get(i))) {
        continue;
      }
      sent.add(row.id());
      if (!queue.isEmpty() && queue.getFirst().due()) {
        next.add(queue);
      }
    }
    return next;
  }

  /** Waits until the broker has the row, or backs it off; returns whether it was sent. */
  private boolean awaitSent(Row row, CompletableFuture<Void> send) {
    try {
      send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Relay interrupted", e);
    } catch (Exception e) {
      Throwable failure = MessageDispatcher.unwrap(e);
      Duration backoff = backoff(row.attempts() + 1);
      log.warn(
          "Outbox row {} not sent (attempt {}), next try in {}{}: {}",
          row.id(),
          row.attempts() + 1,
          backoff,
          row.key() == null ? "" : "; the later rows of key " + row.key() + " wait for it",
          failure.toString());
      boolean refused = brokerReachable(row);
      jdbc.update(
          "update "
              + table
              + " set attempts = attempts + 1, refusals = refusals + ?, last_error = ?,"
              + " next_attempt_at = now() + (? * interval '1 millisecond') where id = ?",
          refused ? 1 : 0,
          failure.toString(),
          backoff.toMillis(),
          row.id());
      if (refused && row.refusals() + 1 >= settings.parkAfter()) {
        park(row, failure);
      }
      return false;
    }
  }

  /**
   * Whether the row's broker is reachable now, so that its failure was a refusal: a failure while
   * the broker is down says nothing about the row, and never counts towards parking it.
   */
  private boolean brokerReachable(Row row) {
    Route route = routes.find(row.type());
    return route != null
        && connectivity.byTransport().getOrDefault(route.transport(), Boolean.TRUE);
  }

  /** Parks a row its broker kept refusing, into the parking lot when the service has one. */
  private void park(Row row, Throwable failure) {
    DeadLetterIntake intake = parkingLot.getIfAvailable();
    if (intake == null) {
      return;
    }
    Envelope envelope = json.readValue(row.envelope(), Envelope.class);
    Route route = routes.get(envelope.type());
    Transport transport = route.transport();
    jdbc.update("update " + table + " set parked_at = now() where id = ?", row.id());
    String now = Instant.now().toString();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(DeadLetterHeaders.REASON, DeadLetterReason.UNDELIVERABLE.name());
    headers.put(DeadLetterHeaders.EXCEPTION_CLASS, failure.getClass().getName());
    headers.put(DeadLetterHeaders.EXCEPTION_MESSAGE, String.valueOf(failure.getMessage()));
    headers.put(DeadLetterHeaders.ATTEMPTS, Integer.toString(row.attempts() + 1));
    headers.put("outbox-refusals", Integer.toString(row.refusals() + 1));
    headers.put(DeadLetterHeaders.ORIGINAL_DESTINATION, route.destination());
    headers.put(DeadLetterHeaders.LAST_FAILURE_TIME, now);
    intake.park(
        new ArrivedDeadLetter(
            "outbox:" + row.id(),
            transport.id(),
            route.destination(),
            null,
            "outbox",
            DeadLetterReason.UNDELIVERABLE,
            headers,
            envelope,
            payloadBytes(envelope, row.payload()),
            row.id()));
    log.error(
        "Outbox row {} ({}) parked after its broker refused it {} times: {}",
        row.id(),
        envelope.type(),
        row.refusals() + 1,
        failure.toString());
  }

  @Override
  public boolean requeue(String outboxId, Envelope envelope, byte[] payload) {
    return jdbc.update(
            "update "
                + table
                + " set parked_at = null, attempts = 0, refusals = 0, last_error = null,"
                + " next_attempt_at = now(),"
                + " envelope = ?, payload = ? where id = ? and parked_at is not null"
                + " and sent_at is null",
            json.writeValueAsString(envelope),
            isEncrypted(envelope)
                ? Base64.getEncoder().encodeToString(payload)
                : new String(payload, StandardCharsets.UTF_8),
            outboxId)
        == 1;
  }

  @Override
  public boolean discard(String outboxId) {
    return jdbc.update(
            "delete from " + table + " where id = ? and parked_at is not null and sent_at is null",
            outboxId)
        == 1;
  }

  private CompletableFuture<Void> send(Row row) {
    try {
      Envelope envelope =
          json.readValue(row.envelope(), Envelope.class)
              .withExtension(CloudEventAttributes.SEQUENCE, sequence(row.seq()));
      OutboundMessage message =
          new OutboundMessage(
              routes.get(envelope.type()), envelope, payloadBytes(envelope, row.payload()));
      return dispatcher.dispatch(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static byte[] payloadBytes(Envelope envelope, String stored) {
    return isEncrypted(envelope)
        ? Base64.getDecoder().decode(stored)
        : stored.getBytes(StandardCharsets.UTF_8);
  }

  /** A row's place as a CloudEvents {@code sequence}: padded, so text order is number order. */
  static String sequence(long seq) {
    return String.format("%019d", seq);
  }

  /** An encrypted payload is stored as base64 of its ciphertext; any other as its JSON text. */
  static boolean isEncrypted(Envelope envelope) {
    return envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) != null;
  }

  /** 1 s, 2 s, 4 s ... up to the configured maximum. */
  private Duration backoff(int attempts) {
    long millis = 1000L << Math.min(attempts - 1, 20);
    return Duration.ofMillis(Math.min(millis, settings.maxBackoff().toMillis()));
  }

  private void deleteOldSentRows() {
    int deleted =
        jdbc.update(
            "delete from " + table + " where sent_at < now() - (? * interval '1 millisecond')",
            settings.retention().toMillis());
    if (deleted > 0) {
      log.debug("Deleted {} sent outbox rows", deleted);
    }
  }

  /**
   * @param type its message type
   * @param key the partition key, or {@code null}
   * @param seq the row's place in the order rows were written
   * @param attempts failed sends so far
   * @param refusals failed sends while its broker was reachable, which count towards parking it
   * @param due whether its next attempt is not in the future
   */
  private record Row(
      String id,
      String type,
      @Nullable String key,
      long seq,
      String envelope,
      String payload,
      int attempts,
      int refusals,
      boolean due) {}
}
