package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;

/**
 * Sees that every message this service read and checked has its receipt audited, in as few records
 * as tell it: a message handled (or skipped as a duplicate) at its first attempt has that one
 * record; any other course (a retry, a dead letter after the retries, a message given back or
 * ignored) has a {@code RECEIVED} record first, timed when the transport handed the message over
 * (see {@link AuditTrail}). A receipt still owed when the rest returns or throws is written then.
 */
final class AuditReceivedStep implements ConsumerStep {

  private final AuditTrail audit;

  AuditReceivedStep(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    context.receiptUnaudited(true);
    try {
      return next.proceed(context);
    } finally {
      audit.settleReceipt(context);
    }
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.AUDIT_RECEIVED;
  }
}
