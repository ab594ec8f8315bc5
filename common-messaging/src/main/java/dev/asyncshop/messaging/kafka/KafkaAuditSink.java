package dev.asyncshop.messaging.kafka;

import dev.asyncshop.messaging.AuditRecord;
import dev.asyncshop.messaging.AuditSink;
import dev.asyncshop.messaging.core.MessagingMetrics;
import dev.asyncshop.messaging.core.PayloadCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.KafkaTemplate;

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
 * <p>The thread looks at the queue every few milliseconds instead of blocking on it. A blocking
 * take would make every write wake it up (a system call and a context switch per record, three
 * records per message), which on a busy machine cost more than writing the record; polling lets
 * records pile up and leave as a batch, and delays them by at most the poll interval, which nobody
 * waits for.
 */
final class KafkaAuditSink implements AuditSink, InitializingBean, DisposableBean {

  private static final int QUEUE_CAPACITY = 10_000;
  private static final int BATCH = 1_000;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final KafkaTemplate<String, byte[]> template;
  private final String topic;
  private final PayloadCodec codec;
  private final MessagingMetrics metrics;
  private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private volatile boolean running = true;
  private @Nullable Thread worker;

  KafkaAuditSink(
      KafkaTemplate<String, byte[]> template,
      String topic,
      PayloadCodec codec,
      MessagingMetrics metrics) {
    this.template = template;
    this.topic = topic;
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public void afterPropertiesSet() {
    Thread thread = new Thread(this::drain, "messaging-audit");
    thread.setDaemon(true);
    thread.start();
    worker = thread;
  }

  @Override
  public void write(AuditRecord record) {
    if (!queue.offer(record)) {
      metrics.auditFailure("kafka-queue-full");
    }
  }

  private void drain() {
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
        continue;
      }
      batch.forEach(this::send);
      batch.clear();
    }
  }

  private void send(AuditRecord record) {
    String key = record.correlationId() != null ? record.correlationId() : record.messageId();
    try {
      template
          .send(topic, key, codec.write(record))
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  metrics.auditFailure("kafka");
                }
              });
    } catch (RuntimeException e) {
      metrics.auditFailure("kafka");
    }
  }

  /** Gives queued records a moment to leave before the producer closes. */
  @Override
  public void destroy() throws InterruptedException {
    running = false;
    Thread thread = worker;
    if (thread != null) {
      thread.join(CLOSE_WAIT.toMillis());
    }
    template.flush();
  }
}
