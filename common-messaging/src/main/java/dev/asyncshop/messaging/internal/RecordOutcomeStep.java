package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;
import java.time.Duration;

/**
 * Counts and audits how the handling ended: handled (with the end-to-end latency from the message's
 * time) or skipped as a duplicate, with the attempts it took and how long. Failures are counted by
 * the dead-letter step instead.
 */
final class RecordOutcomeStep implements ConsumerStep {

  private final MessagingMetrics metrics;
  private final AuditTrail audit;
  private final Clock clock;

  RecordOutcomeStep(MessagingMetrics metrics, AuditTrail audit, Clock clock) {
    this.metrics = metrics;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    // A projection rebuilt from the first event reads messages days old: their age is not a wait.
    boolean timed = !context.subscription().projection();
    if (timed) {
      metrics.queueWait(
          context.subscription().transport().id(),
          context.subscription().destination(),
          Steps.route(context).type(),
          Duration.between(Steps.envelope(context).time(), clock.instant()));
    }
    long start = System.nanoTime();
    ConsumeResult result = next.proceed(context);
    Duration took = Steps.elapsedSince(start);
    Subscription subscription = context.subscription();
    String transport = subscription.transport().id();
    String destination = subscription.destination();
    Route route = Steps.route(context);
    if (result instanceof ConsumeResult.Handled) {
      Envelope envelope = Steps.envelope(context);
      metrics.consumed(transport, destination, route.type(), "handled");
      if (timed) {
        metrics.endToEndLatency(
            transport,
            destination,
            route.type(),
            Duration.between(envelope.time(), clock.instant()));
      }
      audit.record(context, AuditOutcome.HANDLED, context.attempts(), took, null);
    } else if (result instanceof ConsumeResult.Duplicate) {
      metrics.duplicateSkipped(transport, destination, route.type());
      metrics.consumed(transport, destination, route.type(), "duplicate");
      audit.record(context, AuditOutcome.DUPLICATE_SKIPPED, context.attempts(), took, null);
    }
    return result;
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.RECORD_OUTCOME;
  }
}
