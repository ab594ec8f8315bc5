package dev.asyncshop.messaging.spi;

/** The step of a message's life an {@link AuditRecord} describes. */
public enum AuditOutcome {
  PUBLISHED,
  PUBLISH_FAILED,
  RECEIVED,
  HANDLED,
  RETRIED,
  DEAD_LETTERED,
  DUPLICATE_SKIPPED
}
