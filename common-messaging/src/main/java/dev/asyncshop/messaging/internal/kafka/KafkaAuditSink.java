package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit records to the audit topic, keyed by correlation id so a business flow's records
 * stay in order, through a producer of its own that batches them (see {@code
 * messaging.audit.linger}).
 *
 * <p>A Kafka producer can block its caller (metadata, full buffer) when the broker is away, so
 * records are handed to one background thread through a bounded queue, which keeps that off the
 * message path. When the queue is full, records are dropped and counted rather than slowing
 * business messages down.
 *
 * <p>The thread looks at the queue every few milliseconds instead of blocking on it. With a
 * blocking take, every record written while the thread waits wakes it up, a system call and a
 * context switch for the writer; at the rates a service usually runs that is nearly every record,
 * three per message. Polling costs a couple of hundred short wake-ups a second when there is
 * nothing to do, turns whatever arrived meanwhile into one batch, and delays records by at most the
 * poll interval, which nobody waits for.
 *
 * <p>A lifecycle bean in a phase before the producer factory's, so that on shutdown the queue is
 * sent while the producer is still open; the factory then flushes it as it closes.
 */
final class KafkaAuditSink implements AuditSink, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KafkaAuditSink.class);

  private static final int QUEUE_CAPACITY = 10_000;
  private static final int BATCH = 1_000;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final KafkaTemplate<String, byte[]> template;
  private final String topic;
  private final JsonMapper json;
  private final MessagingMetrics metrics;
  private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private volatile boolean running;

  /** Records written after the stop have nobody to send them; before the start they wait. */
  private volatile boolean stopped;

  private @Nullable Thread worker;

  KafkaAuditSink(
      KafkaTemplate<String, byte[]> template,
      String topic,
      JsonMapper json,
      MessagingMetrics metrics) {
    this.template = template;
    this.topic = topic;
    this.json = json;
    this.metrics = metrics;
  }

  @Override
  public void write(AuditRecord record) {
    if (stopped) {
      metrics.auditFailure("kafka-stopped");
    } else if (!queue.offer(record)) {
      metrics.auditFailure("kafka-queue-full");
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    stopped = false;
    Thread thread = new Thread(this::drain, "messaging-audit");
    thread.setDaemon(true);
    thread.start();
    worker = thread;
  }

  /** Sends what is queued, for at most a few seconds, then drops and counts the rest. */
  @Override
  public synchronized void stop() {
    stopped = true;
    running = false;
    Thread thread = worker;
    worker = null;
    if (thread == null) {
      return;
    }
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    int dropped = queue.size();
    queue.clear();
    for (int i = 0; i < dropped; i++) {
      metrics.auditFailure("kafka-stopped");
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the producer factory ({@code Integer.MIN_VALUE}) on shutdown, after it on start-up. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 1000;
  }

  private void drain() {
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        continue;
      }
      batch.forEach(this::send);
      batch.clear();
    }
  }

  /** Never throws: this thread is the only one, and must outlive any record. */
  private void send(AuditRecord record) {
    String key = record.correlationId() != null ? record.correlationId() : record.messageId();
    try {
      template
          .send(topic, key, json.writeValueAsBytes(record))
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  metrics.auditFailure("kafka");
                }
              });
    } catch (Throwable e) {
      metrics.auditFailure("kafka");
      log.warn("Audit record {} not sent to {}: {}", record.messageId(), topic, e.toString());
    }
  }
}
