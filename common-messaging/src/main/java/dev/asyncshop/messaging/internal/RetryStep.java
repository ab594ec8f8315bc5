package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.ConsumerStoppingException;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.Retryable;

/**
 * Runs the rest of the pipeline (the duplicate check and the handler) with the route's retry
 * policy: exponential backoff with jitter while the failure may go away. Each run is counted and
 * timed, and each run after the first audited as a retry. When the retries are spent, or the
 * failure is one retrying cannot fix, the message is rejected; a step inside that rejected it
 * itself is dead-lettered at once, with its own reason.
 *
 * <p>A failure that says a dependency is down ({@code messaging.retry.unavailable}: the database
 * refuses connections, Redis does not answer) is not the message's fault, and a few seconds of
 * retries do not outlast an outage: once the retries are spent the message goes back to its broker
 * instead of to the dead letters ({@link DependencyUnavailableException}), to be delivered again
 * until the dependency is back.
 *
 * <p>Each run is the handling of the message on this thread ({@link CurrentMessage}), from the
 * duplicate check's transaction to its commit: what the handler sends, and what it leaves to send
 * once that transaction commits (an after-commit callback), joins the message's flow.
 */
final class RetryStep implements ConsumerStep {

  private static final Logger log = LoggerFactory.getLogger(RetryStep.class);

  private final RetryTemplates retries;
  private final MessagingMetrics metrics;
  private final AuditTrail audit;
  private final Clock clock;

  RetryStep(RetryTemplates retries, MessagingMetrics metrics, AuditTrail audit, Clock clock) {
    this.retries = retries;
    this.metrics = metrics;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * @throws RejectedMessageException when the retries are spent or cannot help; a step's own
   *     rejection passes unchanged, after one run
   * @throws ConsumerStoppingException if the consumer is stopped between two runs
   * @throws IdempotencyStore.MessageInProgressException if another consumer kept the message
   *     claimed through every run; not the handler's fault, so the message goes back to the broker
   * @throws DependencyUnavailableException when the last run failed because a dependency is down;
   *     an {@link IdempotencyStore.StoreUnavailableException} when duplicates could not be checked
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    Route route = Steps.route(context);
    try {
      return retries.forRoute(route).execute(new Attempt(context, next, route));
    } catch (RetryException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new ConsumerStoppingException(Steps.envelope(context).id(), e);
      }
      Throwable failure = e.getLastException() != null ? e.getLastException() : e;
      if (failure instanceof RejectedMessageException rejected) {
        throw rejected;
      }
      if (failure instanceof IdempotencyStore.MessageInProgressException
          || failure instanceof DependencyUnavailableException) {
        throw (RuntimeException) failure;
      }
      if (!retries.isRetryable(route, failure)) {
        throw new RejectedMessageException(DeadLetterReason.NON_RETRYABLE, failure);
      }
      if (retries.isUnavailable(route, failure)) {
        throw new DependencyUnavailableException(
            "%s could not be handled while a dependency is unavailable: %s"
                .formatted(Steps.envelope(context).id(), failure),
            failure);
      }
      throw new RejectedMessageException(DeadLetterReason.RETRIES_EXHAUSTED, failure);
    }
  }

  /** One run of the rest of the pipeline. */
  private final class Attempt implements Retryable<ConsumeResult> {

    private final ConsumerContext context;
    private final Chain next;
    private final Route route;

    Attempt(ConsumerContext context, Chain next, Route route) {
      this.context = context;
      this.next = next;
      this.route = route;
    }

    @Override
    public ConsumeResult execute() {
      Subscription subscription = context.subscription();
      String transport = subscription.transport().id();
      int attempt = context.attemptStarted();
      if (attempt > 1) {
        metrics.retried(transport, subscription.destination(), route.type());
        Throwable previous = context.lastException();
        audit.record(
            context,
            AuditOutcome.RETRIED,
            attempt,
            Duration.ZERO,
            previous == null ? null : previous.toString());
      }
      long start = System.nanoTime();
      try {
        ConsumeResult result =
            CurrentMessage.runWith(Steps.envelope(context), () -> next.proceed(context));
        metrics.handlerTime(
            transport,
            subscription.destination(),
            route.type(),
            "success",
            Steps.elapsedSince(start));
        return result;
      } catch (RuntimeException | Error e) {
        metrics.handlerTime(
            transport,
            subscription.destination(),
            route.type(),
            "failure",
            Steps.elapsedSince(start));
        context.attemptFailed(e, clock.instant());
        // A failed first attempt settles the receipt now, not when the backoff ends.
        audit.settleReceipt(context);
        log.debug(
            "{} failed on attempt {} for {}", getName(), attempt, Steps.envelope(context).id(), e);
        throw e;
      }
    }

    @Override
    public String getName() {
      Envelope envelope = Steps.envelope(context);
      return context.handler() + " for " + envelope.type();
    }
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.RETRY;
  }
}
