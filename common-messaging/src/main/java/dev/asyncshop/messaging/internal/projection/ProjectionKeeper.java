package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.projection.GenerationState;
import dev.asyncshop.messaging.projection.Projection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one projection written, on a thread of its own. Only one instance of the service writes a
 * projection at a time: the one holding its PostgreSQL advisory lock ({@link ProjectionLocks}). The
 * others try again every few seconds.
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
  private final ProjectionLocks locks;
  private final GenerationStore store;
  private final Function<GenerationStore.Row, GenerationRunner> runners;
  private final Map<Integer, GenerationRunner> running = new ConcurrentHashMap<>();
  private final Semaphore lookNow = new Semaphore(0);
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean writing;

  ProjectionKeeper(
      Projection projection,
      ProjectionLocks locks,
      GenerationStore store,
      Function<GenerationStore.Row, GenerationRunner> runners) {
    this.projection = projection;
    this.checksum = GenerationStore.checksumOf(projection);
    this.locks = locks;
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

  /** Whether this instance holds the lock and writes a generation of the projection. */
  boolean writing() {
    return writing && !running.isEmpty();
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

  /**
   * Tells the keeper to stop: it stops its writers (each after its batch) and gives up its lock.
   */
  void stopSoon() {
    stopped = true;
    lookNow.release();
    running.values().forEach(GenerationRunner::stopSoon);
  }

  void awaitStopped() {
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
        if (!holdsLock()) {
          pause = STAND_BY;
        } else if (!lookAtGenerations()) {
          // Nothing of this version's to write: the lock is left to an instance that has.
          letGo();
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
    boolean holds = locks.hold(projection.name());
    if (!holds && writing) {
      letGo();
    }
    writing = holds;
    return holds;
  }

  /**
   * Makes, writes and drops the generations as their rows say; each on its own, so that one that
   * fails (a script that does not run, say) leaves the others written.
   *
   * <p>A generation is written only by instances whose script made it: a version of the service
   * writes its own tables with its own handlers. While a rebuild for a changed script runs, the
   * active generation, made by the script before, is left as it is until the switch. An instance
   * whose script made an older generation than the active one is of an older version (during a
   * rolling deployment): it stands by rather than rebuild the read model back.
   *
   * @return whether this instance has a generation to write
   */
  private boolean lookAtGenerations() {
    List<GenerationStore.Row> rows = store.live(projection.name());
    GenerationStore.Row active = inState(rows, GenerationState.ACTIVE);
    GenerationStore.Row building = inState(rows, GenerationState.BUILDING);
    if (active == null && building == null) {
      store.request(projection, checksum, "first start");
      rows = store.live(projection.name());
    } else if (active != null && building == null && !active.checksum().equals(checksum)) {
      if (store.madeBefore(projection.name(), checksum, active.generation())) {
        return false;
      }
      log.info(
          "Projection {}'s schema script changed: rebuilding it from its topics",
          projection.name());
      store.request(projection, checksum, "schema script changed");
      rows = store.live(projection.name());
    }
    boolean writes = false;
    for (GenerationStore.Row row : rows) {
      try {
        writes |= look(row);
      } catch (RuntimeException e) {
        log.warn(
            "Projection {} generation {} cannot be written now: {}",
            projection.name(),
            row.generation(),
            e.toString());
      }
    }
    return writes;
  }

  /**
   * @return whether this instance writes the generation
   */
  private boolean look(GenerationStore.Row row) {
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
      return false;
    }
    if (!row.checksum().equals(checksum)) {
      return false; // made by another version's script, written by that version
    }
    if (runner == null) {
      log.info(
          "This instance writes projection {} generation {}", projection.name(), row.generation());
      store.prepare(projection, row);
      GenerationRunner started = runners.apply(row);
      started.start();
      running.put(row.generation(), started);
    }
    return true;
  }

  private static GenerationStore.@Nullable Row inState(
      List<GenerationStore.Row> rows, GenerationState state) {
    return rows.stream().filter(row -> row.state() == state).findFirst().orElse(null);
  }

  /** Stops writing and gives the lock up, for another instance to take. */
  private void letGo() {
    running.values().forEach(GenerationRunner::stop);
    running.clear();
    locks.release(projection.name());
    writing = false;
  }
}
