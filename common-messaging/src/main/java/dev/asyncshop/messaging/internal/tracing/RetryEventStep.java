package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * Marks each handler run after the first on the consumer's span, with the failure that caused it,
 * so a trace shows how often a message was tried and why. It sits just inside the retries, where it
 * runs once per attempt.
 */
final class RetryEventStep implements ConsumerStep {

  private final Tracer tracer;

  RetryEventStep(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    Span span = tracer.currentSpan();
    if (span != null && context.attempts() > 1) {
      Throwable cause = context.lastException();
      span.event(
          "retry attempt "
              + context.attempts()
              + (cause == null ? "" : " after " + cause.getClass().getSimpleName()));
    }
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.RETRY + 50;
  }
}
