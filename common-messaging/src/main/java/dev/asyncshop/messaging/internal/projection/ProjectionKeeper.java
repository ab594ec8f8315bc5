package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.projection.GenerationState;
import dev.asyncshop.messaging.projection.Projection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one projection written, on a thread of its own. Only one instance of the service writes a
 * projection at a time: the one holding its PostgreSQL advisory lock, on a connection kept for that
 * (the lock goes with the connection, so an instance that dies or loses its database gives it up).
 * The others try again every few seconds.
 *
 * <p>The instance holding it looks at the projection's generations each second: it makes the first
 * one when there is none, asks for a rebuild when the script changed, runs a writer for the active
 * generation and for the one being built, and drops the schema of a retired one once its writer has
 * stopped.
 */
final class ProjectionKeeper {

  private static final Logger log = LoggerFactory.getLogger(ProjectionKeeper.class);
  private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
  private static final Duration STAND_BY = Duration.ofSeconds(5);

  private final Projection projection;
  private final String checksum;
  private final DataSource dataSource;
  private final GenerationStore store;
  private final Function<GenerationStore.Row, GenerationRunner> runners;
  private final Map<Integer, GenerationRunner> running = new ConcurrentHashMap<>();
  private final Semaphore lookNow = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopped;
  private @Nullable Connection lock;

  ProjectionKeeper(
      Projection projection,
      DataSource dataSource,
      GenerationStore store,
      Function<GenerationStore.Row, GenerationRunner> runners) {
    this.projection = projection;
    this.checksum = GenerationStore.checksumOf(projection);
    this.dataSource = dataSource;
    this.store = store;
    this.runners = runners;
    this.thread = new Thread(this::keep, "projection-" + projection.name());
    this.thread.setDaemon(true);
  }

  String checksum() {
    return checksum;
  }

  void start() {
    thread.start();
  }

  /** Looks at the generations at once rather than within the second: a rebuild was asked for. */
  void lookNow() {
    lookNow.release();
  }

  /**
   * Records this instance's writer of the generation in that state has not read yet; {@code NaN}
   * when it writes none (another instance does, or none is in that state).
   */
  double lag(boolean building) {
    for (GenerationRunner runner : running.values()) {
      if (runner.building() == building && runner.lag() >= 0) {
        return runner.lag();
      }
    }
    return Double.NaN;
  }

  void stop() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(40).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void keep() {
    while (!stopped) {
      Duration pause = LOOK_EVERY;
      try {
        if (holdsLock()) {
          lookAtGenerations();
        } else {
          pause = STAND_BY;
        }
      } catch (RuntimeException | SQLException e) {
        if (stopped) {
          break;
        }
        log.warn(
            "Projection {} is not being written: {}; trying again in {} s",
            projection.name(),
            e.toString(),
            STAND_BY.toSeconds());
        letGo();
        pause = STAND_BY;
      }
      try {
        if (lookNow.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          lookNow.drainPermits();
        }
      } catch (InterruptedException e) {
        break;
      }
    }
    letGo();
  }

  /** Whether this instance holds the projection's lock, taking it when it is free. */
  private boolean holdsLock() throws SQLException {
    if (lock != null) {
      if (lock.isValid(2)) {
        return true;
      }
      letGo();
    }
    Connection connection = dataSource.getConnection();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "select pg_try_advisory_lock(hashtext('asyncshop.projection'), hashtext(?))")) {
      statement.setString(1, projection.name());
      try (ResultSet result = statement.executeQuery()) {
        if (result.next() && result.getBoolean(1)) {
          lock = connection;
          log.info("This instance writes projection {}", projection.name());
          return true;
        }
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    connection.close();
    return false;
  }

  private void lookAtGenerations() {
    List<GenerationStore.Row> rows = store.live(projection.name());
    if (rows.stream().noneMatch(row -> row.state() == GenerationState.ACTIVE)) {
      store.request(projection, checksum, "first start");
      rows = store.live(projection.name());
    } else if (rows.stream().noneMatch(row -> row.state() == GenerationState.BUILDING)
        && rows.stream()
            .filter(row -> row.state() == GenerationState.ACTIVE)
            .noneMatch(row -> row.checksum().equals(checksum))) {
      log.info(
          "Projection {}'s schema script changed: rebuilding it from its topics",
          projection.name());
      store.request(projection, checksum, "schema script changed");
      rows = store.live(projection.name());
    }
    for (GenerationStore.Row row : rows) {
      GenerationRunner runner = running.get(row.generation());
      if (row.state() == GenerationState.RETIRED) {
        if (runner != null) {
          runner.stop();
          running.remove(row.generation());
        }
        store.drop(row);
        log.info(
            "Projection {} generation {} retired; schema {} dropped",
            projection.name(),
            row.generation(),
            row.schema());
      } else if (runner == null) {
        store.prepare(projection, row);
        GenerationRunner started = runners.apply(row);
        started.start();
        running.put(row.generation(), started);
      }
    }
  }

  /** Stops writing and gives the lock up, for another instance to take. */
  private void letGo() {
    running.values().forEach(GenerationRunner::stop);
    running.clear();
    if (lock != null) {
      // The connection goes back to the pool, not away: the lock must be given up by hand.
      try (PreparedStatement unlock =
          lock.prepareStatement(
              "select pg_advisory_unlock(hashtext('asyncshop.projection'), hashtext(?))")) {
        unlock.setString(1, projection.name());
        unlock.execute();
      } catch (SQLException e) {
        log.debug("Unlocking projection {}: its connection is gone already", projection.name(), e);
      }
      try {
        lock.close();
      } catch (SQLException e) {
        log.debug("Closing the lock connection of projection {}", projection.name(), e);
      }
      lock = null;
    }
  }
}
