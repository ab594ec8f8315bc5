package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Audits every send once the broker answered: {@code PUBLISHED}, or {@code PUBLISH_FAILED} with the
 * reason, and how long it took.
 */
final class AuditPublishedStep implements PublisherStep {

  private final AuditTrail audit;

  AuditPublishedStep(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    long start = System.nanoTime();
    return next.publish(message)
        .whenComplete(
            (sent, failure) ->
                audit.record(
                    message,
                    failure == null ? AuditOutcome.PUBLISHED : AuditOutcome.PUBLISH_FAILED,
                    Steps.elapsedSince(start),
                    failure == null ? null : MessageDispatcher.unwrap(failure).toString()));
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.AUDIT;
  }
}
