package dev.asyncshop.messaging.internal.jdbc;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Deletes the rows of a table that are older than its retention, every so often, a batch at a time
 * so no sweep holds many locks or a long transaction. Every instance of a service sweeps; the
 * deletes are idempotent, so running side by side only repeats a cheap query.
 */
public final class RetentionSweep implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
  private static final int BATCH = 10_000;

  private final String name;
  private final JdbcTemplate jdbc;
  private final String delete;
  private final Duration retention;
  private final Duration every;
  private final Clock clock;
  private @Nullable ScheduledExecutorService sweeper;

  /**
   * @param table the table
   * @param timeColumn the column whose age counts
   * @param condition further SQL that a row must meet to go ({@code state in (...)}), or {@code
   *     null}
   */
  public RetentionSweep(
      JdbcTemplate jdbc,
      String table,
      String timeColumn,
      @Nullable String condition,
      Duration retention,
      Duration every,
      Clock clock) {
    this.name = OutboxRelay.checkedName(table);
    this.jdbc = jdbc;
    this.delete =
        "delete from "
            + name
            + " where ctid in (select ctid from "
            + name
            + " where "
            + OutboxRelay.checkedName(timeColumn)
            + " < ?"
            + (condition == null ? "" : " and " + condition)
            + " limit "
            + BATCH
            + ")";
    this.retention = retention;
    this.every = every;
    this.clock = clock;
  }

  /** Deletes every row past its retention; returns how many. */
  public int sweep() {
    Timestamp before = Timestamp.from(clock.instant().minus(retention));
    int total = 0;
    int deleted;
    do {
      deleted = jdbc.update(delete, before);
      total += deleted;
    } while (deleted == BATCH);
    if (total > 0) {
      log.debug("Deleted {} rows of {} older than {}", total, name, retention);
    }
    return total;
  }

  @Override
  public void start() {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            new CustomizableThreadFactory("messaging-retention-" + name + "-"));
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            sweep();
          } catch (RuntimeException e) {
            log.warn("Could not delete old rows of {}; trying again later: {}", name, e.toString());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    sweeper = executor;
  }

  @Override
  public void stop() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
  }

  @Override
  public boolean isRunning() {
    return sweeper != null;
  }
}
