package dev.asyncshop.messaging.spi;

/**
 * Receives every {@link AuditRecord}. Sinks must not block for long; an exception from a sink is
 * logged and counted, never passed on to the business message.
 */
@FunctionalInterface
public interface AuditSink {

  void write(AuditRecord record);
}
