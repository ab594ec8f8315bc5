package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.BrokerCheck;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * {@link BrokerConnectivity} from the transports' {@link BrokerCheck}s of the brokers the service
 * has routes on, each run every {@link #INTERVAL} on a thread of its own, from the first read on: a
 * service that never asks checks nothing. A reading older than {@link #STALE_AFTER} counts as
 * unreachable, so a check stuck in a client's timeout (a Redis {@code PING} waits for the command
 * timeout, a RabbitMQ connection for the connection timeout) reads as the outage it is.
 */
public final class PolledBrokerConnectivity implements BrokerConnectivity, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(PolledBrokerConnectivity.class);

  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration STALE_AFTER = Duration.ofSeconds(3);

  private final List<BrokerCheck> checks;
  private final LongSupplier nanoTime;
  private final Map<Transport, Reading> readings = new ConcurrentHashMap<>();
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile @Nullable ThreadPoolTaskScheduler scheduler;

  /**
   * A check's last answer and when it came, on {@link System#nanoTime()}'s scale, and whether any
   * answer so far was yes: a broker not reached yet at start-up is not reported as back.
   */
  private record Reading(boolean reachable, long atNanos, boolean reachedBefore) {}

  /**
   * @param used the transports the service has routes on; the checks of any other are not run
   * @param checks the transports' checks
   */
  public PolledBrokerConnectivity(Set<Transport> used, Collection<BrokerCheck> checks) {
    this(used, checks, System::nanoTime, true);
  }

  /**
   * @param poll run the checks in the background from the first read; off, only {@link #check} runs
   *     them
   */
  PolledBrokerConnectivity(
      Set<Transport> used, Collection<BrokerCheck> checks, LongSupplier nanoTime, boolean poll) {
    this.checks = checks.stream().filter(check -> used.contains(check.transport())).toList();
    this.nanoTime = nanoTime;
    this.polling.set(!poll);
    for (Transport transport : used) {
      if (this.checks.stream().noneMatch(check -> check.transport() == transport)) {
        log.debug("No check for {}; it is taken as reachable", transport);
      }
    }
  }

  @Override
  public boolean connected() {
    startPolling();
    long now = nanoTime.getAsLong();
    for (BrokerCheck check : checks) {
      if (!reachable(check.transport(), now)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Map<Transport, Boolean> byTransport() {
    startPolling();
    long now = nanoTime.getAsLong();
    Map<Transport, Boolean> byTransport = new EnumMap<>(Transport.class);
    for (BrokerCheck check : checks) {
      byTransport.put(check.transport(), reachable(check.transport(), now));
    }
    return byTransport;
  }

  private boolean reachable(Transport transport, long now) {
    Reading reading = readings.get(transport);
    return reading != null
        && reading.reachable()
        && now - reading.atNanos() <= STALE_AFTER.toNanos();
  }

  /** Runs one check and keeps its answer; the scheduler calls it, and tests directly. */
  void check(BrokerCheck check) {
    boolean reachable;
    String why = "";
    try {
      reachable = check.reachable();
    } catch (Exception e) {
      reachable = false;
      why = ": " + e;
    }
    Reading previous = readings.get(check.transport());
    boolean reachedBefore = previous != null && (previous.reachable() || previous.reachedBefore());
    readings.put(check.transport(), new Reading(reachable, nanoTime.getAsLong(), reachedBefore));
    if (previous != null && previous.reachable() && !reachable) {
      log.warn("{} cannot be reached{}", check.transport(), why);
    } else if (reachedBefore && !previous.reachable() && reachable) {
      log.info("{} can be reached again", check.transport());
    }
  }

  private void startPolling() {
    if (checks.isEmpty() || !polling.compareAndSet(false, true)) {
      return;
    }
    ThreadPoolTaskScheduler started = new ThreadPoolTaskScheduler();
    started.setPoolSize(checks.size());
    started.setThreadNamePrefix("messaging-connectivity-");
    started.setDaemon(true);
    started.initialize();
    for (BrokerCheck check : checks) {
      started.scheduleWithFixedDelay(() -> check(check), INTERVAL);
    }
    scheduler = started;
  }

  @Override
  public void destroy() {
    ThreadPoolTaskScheduler started = scheduler;
    if (started != null) {
      started.shutdown();
    }
  }
}
