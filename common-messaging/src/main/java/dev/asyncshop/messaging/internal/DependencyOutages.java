package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the transports report when a message could not be handled because a dependency of its
 * handling is down ({@link DependencyUnavailableException}): each one is counted ({@value
 * MessagingMetrics#CONSUMER_UNAVAILABLE}), and logged at WARN the first time for its destination,
 * then at most once per {@link #LOG_EVERY} with how many more there were. In an outage of minutes
 * every waiting message is tried again and again; a line for each would bury the one that says what
 * is down.
 */
public final class DependencyOutages {

  private static final Logger log = LoggerFactory.getLogger(DependencyOutages.class);

  static final Duration LOG_EVERY = Duration.ofSeconds(30);

  private final MessagingMetrics metrics;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public DependencyOutages(MessagingMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * @param fate what became of the message, for the log: "it goes back to the queue"
   */
  public void report(
      Subscription subscription, DependencyUnavailableException unavailable, String fate) {
    String transport = subscription.transport().id();
    String destination = subscription.destination();
    metrics.unavailable(transport, destination);
    Window window = windows.computeIfAbsent(transport + ":" + destination, key -> new Window());
    int suppressed;
    synchronized (window) {
      Instant now = clock.instant();
      if (window.logged != null && now.isBefore(window.logged.plus(LOG_EVERY))) {
        window.suppressed++;
        return;
      }
      suppressed = window.suppressed;
      window.logged = now;
      window.suppressed = 0;
    }
    Throwable cause = unavailable.getCause() != null ? unavailable.getCause() : unavailable;
    if (suppressed == 0) {
      log.warn(
          "A message from {} could not be handled while a dependency is unavailable; {}: {}",
          destination,
          fate,
          cause.toString());
    } else {
      log.warn(
          "{} more message(s) from {} could not be handled while a dependency is unavailable; {}:"
              + " {}",
          suppressed + 1,
          destination,
          fate,
          cause.toString());
    }
  }

  /** When a destination was last logged, and what was not logged since. */
  private static final class Window {
    @Nullable Instant logged;
    int suppressed;
  }
}
