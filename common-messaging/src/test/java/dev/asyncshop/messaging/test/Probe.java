package dev.asyncshop.messaging.test;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.NonRetryableMessageException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test handlers saw and did. A test scripts the behaviour for a payload text: fail a
 * number of times, always fail, fail without retry, or take a while.
 */
public final class Probe {

  /** One handler run that completed: the side effect a test counts. */
  public record Handled(String handler, String text, Envelope envelope) {}

  private final List<Handled> handled = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final Map<String, Integer> failuresBeforeSuccess = new ConcurrentHashMap<>();
  private final Map<String, Long> delays = new ConcurrentHashMap<>();

  public void failTimes(String text, int failures) {
    failuresBeforeSuccess.put(text, failures);
  }

  public void alwaysFail(String text) {
    failuresBeforeSuccess.put(text, Integer.MAX_VALUE);
  }

  public void delay(String text, long millis) {
    delays.put(text, millis);
  }

  /** Called by every test handler. */
  void run(String handler, String text, Envelope envelope) {
    int run = runs.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
    if (text.startsWith("reject")) {
      throw new NonRetryableMessageException("business rule says no to " + text);
    }
    if (run <= failuresBeforeSuccess.getOrDefault(text, 0)) {
      throw new IllegalStateException("simulated failure " + run + " for " + text);
    }
    Long delay = delays.get(text);
    if (delay != null) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    handled.add(new Handled(handler, text, envelope));
  }

  public List<Handled> handled() {
    return List.copyOf(handled);
  }

  public List<Handled> handled(String text) {
    return handled.stream().filter(h -> h.text().equals(text)).toList();
  }

  public int runs(String text) {
    AtomicInteger count = runs.get(text);
    return count == null ? 0 : count.get();
  }
}
