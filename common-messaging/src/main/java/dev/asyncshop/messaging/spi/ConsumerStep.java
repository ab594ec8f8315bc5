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
 * not in fields. To dead-letter the message, throw {@link RejectedMessageException}; any other
 * exception leaves the message unacknowledged, for the broker to deliver again.
 *
 * <pre>{@code
 * @Component
 * class RequireSubject implements ConsumerStep {
 *   public ConsumeResult process(ConsumerContext context, Chain next) {
 *     if (context.envelope().subject() == null) { // read by DESERIALIZE, which runs before
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
