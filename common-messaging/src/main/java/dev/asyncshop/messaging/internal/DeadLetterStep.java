package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DeadLetterFailedException;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a message that a later step rejected to its dead-letter destination, with why, how often
 * and when it failed, and only then lets the transport acknowledge it. Counted and audited; an
 * unknown type is counted as {@code unknown}, so junk types cannot multiply the meters.
 */
final class DeadLetterStep implements ConsumerStep {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterStep.class);

  private final MessagingMetrics metrics;
  private final AuditTrail audit;
  private final Clock clock;

  DeadLetterStep(MessagingMetrics metrics, AuditTrail audit, Clock clock) {
    this.metrics = metrics;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * @throws DeadLetterFailedException if the dead-letter destination did not take the message; the
   *     transport must then leave it unacknowledged
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    try {
      return next.proceed(context);
    } catch (RejectedMessageException rejected) {
      return deadLetter(
          context, DeadLetter.of(context, rejected.reason(), rejected.failure(), clock.instant()));
    }
  }

  private ConsumeResult deadLetter(ConsumerContext context, DeadLetter deadLetter) {
    Subscription subscription = context.subscription();
    try {
      context.delivery().deadLetter(deadLetter);
    } catch (Exception e) {
      throw new DeadLetterFailedException(
          "Could not dead-letter a message from "
              + subscription.destination()
              + " ("
              + deadLetter.describe()
              + ")",
          e);
    }
    Route route = context.route();
    String type = route != null ? route.type() : "unknown";
    String transport = subscription.transport().id();
    metrics.deadLettered(transport, subscription.destination(), type, deadLetter.reason());
    metrics.consumed(transport, subscription.destination(), type, "dead_lettered");
    audit.record(
        context,
        AuditOutcome.DEAD_LETTERED,
        deadLetter.attempts(),
        Duration.between(deadLetter.firstFailure(), deadLetter.lastFailure()),
        deadLetter.describe());
    Envelope envelope = context.envelope();
    log.warn(
        "Dead-lettered message {} from {} after {} attempt(s): {}",
        envelope != null ? envelope.id() : "(unreadable)",
        subscription.destination(),
        deadLetter.attempts(),
        deadLetter.describe());
    return new ConsumeResult.DeadLettered(deadLetter);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.DEAD_LETTER;
  }
}
