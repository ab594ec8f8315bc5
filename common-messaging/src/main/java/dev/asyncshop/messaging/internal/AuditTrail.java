package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each audit record to every sink; a failing sink never reaches the caller. */
final class AuditTrail {

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

  private final List<AuditSink> sinks;
  private final MessagingMetrics metrics;

  AuditTrail(List<AuditSink> sinks, MessagingMetrics metrics) {
    this.sinks = List.copyOf(sinks);
    this.metrics = metrics;
  }

  void record(AuditRecord record) {
    for (AuditSink sink : sinks) {
      try {
        sink.write(record);
      } catch (RuntimeException e) {
        metrics.auditFailure(sink.getClass().getSimpleName());
        log.warn(
            "Audit sink {} failed for message {}: {}",
            sink.getClass().getSimpleName(),
            record.messageId(),
            e.toString());
      }
    }
  }
}
