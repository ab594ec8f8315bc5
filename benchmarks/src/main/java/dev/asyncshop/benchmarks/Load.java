package dev.asyncshop.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** Drives one sender at full speed or at a fixed rate and measures what its consumer saw. */
final class Load {

  /** Sends one message of the phase, stamped with its send time; returns once it is confirmed. */
  @FunctionalInterface
  interface Sender {
    void send(int phase, long sentNanos) throws Exception;
  }

  /**
   * One measured phase.
   *
   * @param sentPerSecond messages the senders had confirmed per second in the window
   * @param handledPerSecond messages the handler ran per second in the window: the throughput
   * @param latency publish-to-handle latency of the messages sent in the window
   * @param errors sends that failed
   * @param lost messages sent but never handled within the drain time
   */
  record Result(
      double sentPerSecond,
      double handledPerSecond,
      Recorder.Percentiles latency,
      long errors,
      long lost) {}

  private static final AtomicInteger PHASES = new AtomicInteger();
  private static final int CAPACITY = 1_500_000;
  private static final Duration DRAIN = Duration.ofSeconds(90);

  private Load() {}

  /** Sends until the first message comes back, so a measurement never waits for a subscription. */
  static void awaitFlowing(Sender sender, Slot slot, Duration timeout) throws Exception {
    Recorder recorder = new Recorder(PHASES.incrementAndGet(), 1_000);
    slot.use(recorder);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (recorder.count() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("No message came back within " + timeout);
      }
      sender.send(recorder.phase(), System.nanoTime());
      Thread.sleep(100);
    }
  }

  /**
   * {@code threads} senders, each sending its next message as soon as the previous one is
   * confirmed. The window starts after the warm-up; afterwards the senders stop and the consumer is
   * given time to catch up, so the next phase starts on an empty queue.
   */
  static Result fullSpeed(Sender sender, Slot slot, int threads, Duration warmUp, Duration measure)
      throws InterruptedException {
    Recorder recorder = new Recorder(PHASES.incrementAndGet(), CAPACITY);
    slot.use(recorder);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    AtomicLong sentInWindow = new AtomicLong();
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long now = System.nanoTime();
                  try {
                    sender.send(recorder.phase(), now);
                    sent.incrementAndGet();
                    long done = System.nanoTime();
                    if (done >= windowStart.get() && done <= windowEnd.get()) {
                      sentInWindow.incrementAndGet();
                    }
                  } catch (Exception e) {
                    if (errors.incrementAndGet() <= 3) {
                      System.out.println("    send failed: " + e);
                    }
                  }
                }
              },
              "bench-sender-" + t);
      thread.start();
      senders.add(thread);
    }
    Thread.sleep(warmUp.toMillis());
    long start = System.nanoTime();
    windowStart.set(start);
    Thread.sleep(measure.toMillis());
    long end = System.nanoTime();
    windowEnd.set(end);
    stop.set(true);
    for (Thread thread : senders) {
      thread.join();
    }
    long lost = drain(recorder, sent.get());
    Recorder.Stats stats = recorder.stats(start, end);
    return new Result(
        sentInWindow.get() / ((end - start) / 1e9),
        stats.handledPerSecond(),
        stats.latency(),
        errors.get(),
        lost);
  }

  /**
   * Open loop: one message every {@code 1/rate} seconds, whatever the previous ones are doing, sent
   * by a pool of {@code threads} senders. Latency counts from the moment the message was due, so a
   * sender pool that falls behind shows in it.
   */
  static Result fixedRate(Sender sender, Slot slot, int threads, int rate, Duration measure)
      throws InterruptedException {
    Recorder recorder = new Recorder(PHASES.incrementAndGet(), CAPACITY);
    slot.use(recorder);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong sent = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long period = 1_000_000_000L / rate;
    long count = rate * measure.toSeconds();
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long due = start + i * period;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      pool.execute(
          () -> {
            try {
              sender.send(recorder.phase(), due);
              sent.incrementAndGet();
            } catch (Exception e) {
              if (errors.incrementAndGet() <= 3) {
                System.out.println("    send failed: " + e);
              }
            }
          });
    }
    long end = start + count * period;
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.MINUTES);
    long lost = drain(recorder, sent.get());
    Recorder.Stats stats = recorder.stats(start, end);
    return new Result(
        sent.get() / ((end - start) / 1e9),
        stats.handledPerSecond(),
        stats.latency(),
        errors.get(),
        lost);
  }

  /** Waits until every sent message was handled, or the drain time is over; returns the missing. */
  private static long drain(Recorder recorder, long sent) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    int last = -1;
    long lastProgress = System.nanoTime();
    while (recorder.count() < sent && System.nanoTime() < deadline) {
      int now = recorder.count();
      if (now != last) {
        last = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(10).toNanos()) {
        break; // nothing arrives any more: the rest is lost (Redis pub/sub may lose)
      }
      Thread.sleep(20);
    }
    return Math.max(0, sent - recorder.count());
  }
}
