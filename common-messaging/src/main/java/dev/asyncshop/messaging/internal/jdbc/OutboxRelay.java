package dev.asyncshop.messaging.internal.jdbc;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.MessageDispatcher;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.OutboundMessage;
import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the outbox's unsent rows and marks them sent. Rows are claimed with {@code FOR UPDATE SKIP
 * LOCKED}, so several instances relay side by side without sending a row twice; a row whose send
 * fails waits with exponential backoff and does not hold up the rows behind it. A batch is sent all
 * at once and then awaited, so the broker round trips overlap. Delivery is at least once: a crash
 * after the send and before the commit sends the row again, which consumers' idempotency absorbs
 * (the message id is the row id).
 */
final class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final int CLEANUP_EVERY_POLLS = 600;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final MessageDispatcher dispatcher;
  private final RouteTable routes;
  private final JsonMapper json;
  private final MessagingProperties.Outbox settings;
  private final String table;

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
      MessagingProperties.Outbox settings) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.dispatcher = dispatcher;
    this.routes = routes;
    this.json = json;
    this.settings = settings;
    this.table = checkedName(settings.table());
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
  }

  double backlog() {
    Long count =
        jdbc.queryForObject("select count(*) from " + table + " where sent_at is null", Long.class);
    return count == null ? 0 : count;
  }

  double oldestAgeSeconds() {
    Timestamp oldest =
        jdbc.queryForObject(
            "select min(created_at) from " + table + " where sent_at is null", Timestamp.class);
    return oldest == null
        ? 0
        : Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0;
  }

  /** Makes the relay look for rows now; called after a transaction that wrote one committed. */
  void wakeUp() {
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
    List<Row> rows =
        jdbc.query(
            "select id, envelope, payload, attempts from "
                + table
                + " where sent_at is null and next_attempt_at <= now()"
                + " order by created_at limit ? for update skip locked",
            (rs, n) ->
                new Row(
                    rs.getString("id"),
                    rs.getString("envelope"),
                    rs.getString("payload"),
                    rs.getInt("attempts")),
            settings.batchSize());
    List<CompletableFuture<Void>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      sends.add(send(row));
    }
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      try {
        sends.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        jdbc.update("update " + table + " set sent_at = now() where id = ?", row.id());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Relay interrupted", e);
      } catch (Exception e) {
        Throwable failure = MessageDispatcher.unwrap(e);
        Duration backoff = backoff(row.attempts() + 1);
        log.warn(
            "Outbox row {} not sent (attempt {}), next try in {}: {}",
            row.id(),
            row.attempts() + 1,
            backoff,
            failure.toString());
        jdbc.update(
            "update "
                + table
                + " set attempts = attempts + 1, last_error = ?,"
                + " next_attempt_at = now() + (? * interval '1 millisecond') where id = ?",
            failure.toString(),
            backoff.toMillis(),
            row.id());
      }
    }
    return rows.size();
  }

  private CompletableFuture<Void> send(Row row) {
    try {
      Envelope envelope = json.readValue(row.envelope(), Envelope.class);
      OutboundMessage message =
          new OutboundMessage(
              routes.get(envelope.type()),
              envelope,
              isEncrypted(envelope)
                  ? Base64.getDecoder().decode(row.payload())
                  : row.payload().getBytes(StandardCharsets.UTF_8));
      return dispatcher.dispatch(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
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

  private record Row(String id, String envelope, String payload, int attempts) {}
}
