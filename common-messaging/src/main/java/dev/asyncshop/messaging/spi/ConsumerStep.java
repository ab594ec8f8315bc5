package dev.asyncshop.messaging.spi;

import org.springframework.core.Ordered;

/**
 * One step of every consumer pipeline, wrapped around the steps after it: it may act before them,
 * after them, instead of them (by not calling {@code next}), or on their failure. Steps run in the
 * order of {@link #getOrder()}, lowest first, so the first step is the outermost; the library's own
 * orders, and the gaps between them, are in {@link ConsumerStepOrder}.
 *
 * <p>An application adds a step by declaring a bean of this type; it then runs in every
 * subscription's pipeline. A step is shared by all of them, so it keeps its state in the context,
 * not in fields.
 *
 * <p>What a step's exception does depends on where the step sits:
 *
 * <ul>
 *   <li>{@link RejectedMessageException} dead-letters the message at once, with the exception's
 *       reason, from any step after {@link ConsumerStepOrder#DEAD_LETTER}, also from inside the
 *       retries.
 *   <li>Any other exception from a step between {@link ConsumerStepOrder#DEAD_LETTER} and {@link
 *       ConsumerStepOrder#RETRY} leaves the message unacknowledged, for the broker to deliver
 *       again.
 *   <li>Any other exception from a step after {@link ConsumerStepOrder#RETRY} counts as a failure
 *       of the handler: the run is retried, and the message dead-lettered once the retries are
 *       spent; unless the failure says a dependency is down ({@code messaging.retry.unavailable},
 *       or a {@link DependencyUnavailableException}), and the message goes back to the broker.
 *   <li>A step before {@link ConsumerStepOrder#DEAD_LETTER} cannot dead-letter: its {@link
 *       RejectedMessageException}, like any other exception, leaves the message unacknowledged, and
 *       the broker delivers it again and again (see {@link ConsumerStepOrder}).
 * </ul>
 *
 * <pre>{@code
 * @Component
 * class RequireSubject implements ConsumerStep {
 *   public ConsumeResult process(ConsumerContext context, Chain next) {
 *     Envelope envelope = context.envelope(); // read by DESERIALIZE, which runs before
 *     if (envelope != null && envelope.subject() == null) {
 *       throw new RejectedMessageException(DeadLetterReason.POISON, "no subject");
 *     }
 *     return next.proceed(context);
 *   }
 *
 *   public int getOrder() {
 *     return ConsumerStepOrder.AUDIT_RECEIVED + 50;
 *   }
 * }
 * }</pre>
 */
public interface ConsumerStep extends Ordered {

  /**
   * Does this step's work around the rest of the pipeline.
   *
   * @param next the steps after this one; call {@link Chain#proceed} at most once per attempt
   * @return what became of the message; normally what {@code next} returned
   */
  ConsumeResult process(ConsumerContext context, Chain next);

  /** The steps after the current one. */
  @FunctionalInterface
  interface Chain {

    ConsumeResult proceed(ConsumerContext context);
  }
}
