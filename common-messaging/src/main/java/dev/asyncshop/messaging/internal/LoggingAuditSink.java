package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records as log lines with key-value pairs, which Spring Boot's structured logging
 * (ECS, Logstash, GELF) turns into fields. Logger name: {@code dev.asyncshop.messaging.audit}.
 */
final class LoggingAuditSink implements AuditSink {

  private static final Logger log = LoggerFactory.getLogger("dev.asyncshop.messaging.audit");

  private static String encryption(AuditRecord record) {
    if (!record.encrypted()) {
      return "";
    }
    return record.encryptionKeyId() == null
        ? " encrypted=true"
        : " encrypted=true encryptionKeyId=" + record.encryptionKeyId();
  }

  @Override
  public void write(AuditRecord record) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.atInfo()
        .addKeyValue("messageId", record.messageId())
        .addKeyValue("type", record.type())
        .addKeyValue("kind", record.kind())
        .addKeyValue("transport", record.transport())
        .addKeyValue("destination", record.destination())
        .addKeyValue("correlationId", record.correlationId())
        .addKeyValue("service", record.service())
        .addKeyValue("outcome", record.outcome())
        .addKeyValue("attempt", record.attempt())
        .addKeyValue("durationMs", record.duration().toMillis())
        .addKeyValue("time", record.time())
        .addKeyValue("detail", record.detail())
        .addKeyValue("encrypted", record.encrypted())
        .addKeyValue("encryptionKeyId", record.encryptionKeyId())
        .addKeyValue("principal", record.principal())
        .addKeyValue("replayOf", record.replayOf())
        .log(
            "audit outcome={} type={} id={} transport={} destination={} attempt={} durationMs={}"
                + " correlationId={}{}{}{}{}",
            record.outcome(),
            record.type(),
            record.messageId(),
            record.transport(),
            record.destination(),
            record.attempt(),
            record.duration().toMillis(),
            record.correlationId(),
            record.principal() == null ? "" : " principal=" + record.principal(),
            record.replayOf() == null ? "" : " replayOf=" + record.replayOf(),
            encryption(record),
            record.detail() == null ? "" : " detail=" + record.detail());
  }
}
