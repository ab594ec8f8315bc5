package dev.asyncshop.benchmarks;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one measured phase saw: for each handled message, when it was sent and when its handler ran
 * (both {@link System#nanoTime()} of this JVM, so publisher and consumer share one clock). Messages
 * of another phase (leftovers of a warm-up) are ignored.
 */
final class Recorder {

  private final int phase;
  private final long[] sentAt;
  private final long[] handledAt;
  private final AtomicInteger claimed = new AtomicInteger();
  private final AtomicInteger written = new AtomicInteger();

  Recorder(int phase, int capacity) {
    this.phase = phase;
    this.sentAt = new long[capacity];
    this.handledAt = new long[capacity];
  }

  int phase() {
    return phase;
  }

  /** Called by a handler, on any thread. */
  void handled(int phase, long sentNanos) {
    if (phase != this.phase) {
      return;
    }
    long now = System.nanoTime();
    int i = claimed.getAndIncrement();
    if (i < sentAt.length) {
      sentAt[i] = sentNanos;
      handledAt[i] = now;
    }
    written.incrementAndGet();
  }

  /** Messages handled so far; every write before it is visible once this is read. */
  int count() {
    return Math.min(written.get(), sentAt.length);
  }

  /**
   * Rate of handling inside the window, and the latency of the messages sent inside it.
   *
   * @param windowStart nanoTime at which measuring began
   * @param windowEnd nanoTime at which measuring ended
   */
  Stats stats(long windowStart, long windowEnd) {
    int n = count();
    int handledInWindow = 0;
    long[] latencies = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (handledAt[i] >= windowStart && handledAt[i] <= windowEnd) {
        handledInWindow++;
      }
      if (sentAt[i] >= windowStart && sentAt[i] <= windowEnd) {
        latencies[m++] = handledAt[i] - sentAt[i];
      }
    }
    double seconds = (windowEnd - windowStart) / 1e9;
    return new Stats(handledInWindow / seconds, Percentiles.of(Arrays.copyOf(latencies, m)));
  }

  record Stats(double handledPerSecond, Percentiles latency) {}

  /** Percentiles of latencies in nanoseconds, reported in milliseconds. */
  record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles of(long[] nanos) {
      if (nanos.length == 0) {
        return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      Arrays.sort(nanos);
      return new Percentiles(
          nanos.length,
          at(nanos, 0.50),
          at(nanos, 0.95),
          at(nanos, 0.99),
          nanos[nanos.length - 1] / 1e6);
    }

    /** Nearest-rank percentile. */
    private static double at(long[] sorted, double quantile) {
      int rank = (int) Math.ceil(quantile * sorted.length);
      return sorted[Math.max(0, rank - 1)] / 1e6;
    }
  }
}
