package dev.asyncshop.messaging.kafka;

import dev.asyncshop.messaging.AuditRecord;
import dev.asyncshop.messaging.AuditSink;
import dev.asyncshop.messaging.core.MessagingMetrics;
import dev.asyncshop.messaging.core.PayloadCodec;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Writes audit records to the audit topic, keyed by correlation id so a business flow's records
 * stay in order. A Kafka producer can block the caller (metadata, full buffer) when the broker is
 * away; the hand-off to one background thread with a bounded queue keeps that off the message path.
 * When the queue is full, records are dropped and counted rather than slowing business messages
 * down.
 */
final class KafkaAuditSink implements AuditSink, DisposableBean {

  private static final int QUEUE_CAPACITY = 10_000;

  private final KafkaTemplate<String, byte[]> template;
  private final String topic;
  private final PayloadCodec codec;
  private final MessagingMetrics metrics;
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(QUEUE_CAPACITY),
          new CustomizableThreadFactory("messaging-audit-"));

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
  public void write(AuditRecord record) {
    try {
      executor.execute(() -> send(record));
    } catch (RejectedExecutionException e) {
      metrics.auditFailure("kafka-queue-full");
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
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
