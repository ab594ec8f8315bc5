package dev.asyncshop.order.saga;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.ConsumerBacklog;
import dev.asyncshop.messaging.Transport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Saga time kept in the one row of {@code saga_clock}, which every instance moves. Each sweep, an
 * instance that reaches the saga's brokers, RabbitMQ and Kafka ({@link BrokerConnectivity}), and
 * has without a break for the recovery grace, and whose consumer groups have read the answers
 * waiting for them on Kafka, all but {@link SagaSettings#backlogLimit()} ({@link ConsumerBacklog}),
 * ticks: saga time moves on by the time since the last tick of any instance, at most {@link
 * #maxStep}, in one transaction on the row. Instances ticking side by side so move it at the pace
 * of the wall clock, and while none can reach its brokers, or none runs, nobody ticks and saga time
 * stands still. The time of day is the database's, one clock for every instance.
 *
 * <p>A tick, or a read, that fails (the database is down) also restarts the grace: the other
 * services' databases are usually down with it, and their backlogs drain first.
 */
@Component
class StoredSagaClock implements SagaClock {

  private static final Logger log = LoggerFactory.getLogger(StoredSagaClock.class);

  /**
   * The brokers the saga's commands and answers travel: RabbitMQ and Kafka. Redis carries only the
   * live-status broadcasts, so a Redis outage must not stop deadlines (a service really gone would
   * then never be timed out).
   */
  static final Set<Transport> SAGA_TRANSPORTS = EnumSet.of(Transport.RABBITMQ, Transport.KAFKA);

  /** Gauge: how far saga time is behind the time of day, in seconds. */
  static final String LAG = "order.saga.clock.lag";

  private static final String READ =
      "select saga_time, ticked_at, clock_timestamp() as wall from saga_clock";

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final BrokerConnectivity connectivity;
  private final Clock clock;
  private final RecoveryGrace grace;
  private final ConsumerBacklog backlog;
  private final long backlogLimit;

  /**
   * The most one tick moves saga time: a few sweeps, so a sweep that starts a little late loses
   * nothing, while a longer gap, in which no instance ticked, is skipped. A sweep that itself runs
   * longer than that (a backlog of cancellations) makes deadlines later by the excess, never
   * earlier.
   */
  private final Duration maxStep;

  /** Whether saga time moved at the last tick; it stands until the first grace is over. */
  private volatile boolean running;

  StoredSagaClock(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      BrokerConnectivity connectivity,
      ObjectProvider<ConsumerBacklog> backlog,
      SagaSettings settings,
      Clock clock,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.connectivity = connectivity;
    this.clock = clock;
    this.grace = new RecoveryGrace(settings.recoveryGrace());
    this.backlog = backlog.getIfAvailable(() -> ConsumerBacklog.NONE);
    this.backlogLimit = settings.backlogLimit();
    this.maxStep = settings.sweepInterval().multipliedBy(3);
    Gauge.builder(LAG, this, StoredSagaClock::lagSeconds)
        .description(
            "How far saga time, on which the saga's deadlines run, is behind the time of day: the"
                + " broker outages and stops of order-service it sat out")
        .baseUnit("seconds")
        .register(meters);
  }

  @Override
  public Instant now() {
    Reading reading = jdbc.sql(READ).query(StoredSagaClock::reading).single();
    return reading.row().sagaTimeAt(reading.wall(), maxStep);
  }

  /** Whether every saga broker this service has routes on was reachable at its last check. */
  private boolean sagaBrokersReachable() {
    return connectivity.byTransport().entrySet().stream()
        .filter(reading -> SAGA_TRANSPORTS.contains(reading.getKey()))
        .allMatch(Map.Entry::getValue);
  }

  /**
   * Moves saga time if this instance may, and returns it: what the sweep cancels against.
   *
   * @throws org.springframework.dao.DataAccessException if the database cannot be reached
   */
  Instant tick() {
    try {
      boolean connected = sagaBrokersReachable();
      if (!grace.over(connected, clock.instant())) {
        if (!connected) {
          stands("saga brokers cannot be reached " + connectivity.byTransport());
        }
        return standing();
      }
      // Kafka is asked only when saga time could move: once a sweep, never while it is away.
      String behind = behind();
      if (behind != null) {
        stands(behind);
        return standing();
      }
      Instant sagaTime = Objects.requireNonNull(transactions.execute(status -> advance()));
      if (!running) {
        running = true;
        log.info(
            "Saga time runs: the brokers have been reached for the recovery grace, and the answers"
                + " waiting on Kafka are read");
      }
      return sagaTime;
    } catch (RuntimeException e) {
      grace.interrupted();
      stands("the database cannot be reached: " + e);
      throw e;
    }
  }

  /**
   * Why saga time must wait for this service's own backlog, or {@code null} when it need not. When
   * Kafka cannot say (too slow to answer), saga time moves: a backlog that is not known must not
   * keep a service that is really gone from being timed out.
   */
  private @Nullable String behind() {
    OptionalLong unread = backlog.unreadKafkaRecords();
    if (unread.isPresent() && unread.getAsLong() > backlogLimit) {
      return unread.getAsLong() + " answers wait unread on Kafka for this service";
    }
    return null;
  }

  /** Saga time as it stands, read without moving it. */
  private Instant standing() {
    return jdbc.sql(READ).query(StoredSagaClock::reading).single().row().sagaTime();
  }

  private Instant advance() {
    Reading reading = jdbc.sql(READ + " for update").query(StoredSagaClock::reading).single();
    SagaClockRow ticked = reading.row().tick(reading.wall(), maxStep);
    jdbc.sql("update saga_clock set saga_time = ?, ticked_at = ?")
        .params(Timestamp.from(ticked.sagaTime()), Timestamp.from(ticked.tickedAt()))
        .update();
    return ticked.sagaTime();
  }

  private void stands(String why) {
    if (running) {
      running = false;
      log.warn("Saga time stands still, and no deadline expires: {}", why);
    }
  }

  private double lagSeconds() {
    try {
      Double lag =
          jdbc.sql("select extract(epoch from clock_timestamp() - saga_time) from saga_clock")
              .query(Double.class)
              .single();
      return lag == null ? Double.NaN : lag;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The row, and the database's time of day when it was read. */
  private record Reading(SagaClockRow row, Instant wall) {}

  private static Reading reading(ResultSet rs, int rowNum) throws SQLException {
    return new Reading(
        new SagaClockRow(
            rs.getTimestamp("saga_time").toInstant(), rs.getTimestamp("ticked_at").toInstant()),
        rs.getTimestamp("wall").toInstant());
  }
}
