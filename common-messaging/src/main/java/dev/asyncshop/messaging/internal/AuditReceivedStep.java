package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import java.time.Duration;

/** Writes the {@code RECEIVED} record of every message whose type this service knows. */
final class AuditReceivedStep implements ConsumerStep {

  private final AuditTrail audit;

  AuditReceivedStep(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    audit.record(context, AuditOutcome.RECEIVED, 0, Duration.ZERO, null);
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.AUDIT_RECEIVED;
  }
}
