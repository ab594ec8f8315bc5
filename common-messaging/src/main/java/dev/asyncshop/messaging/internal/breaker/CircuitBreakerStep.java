package dev.asyncshop.messaging.internal.breaker;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Runs the rest of the pipeline as a call of the subscription's circuit breaker: a message whose
 * handler was run counts as a success, one given back because a dependency was unavailable ({@link
 * DependencyUnavailableException}, from the retries inside) as a failure, and anything else as
 * nothing, since it says nothing about the dependency.
 *
 * <p>A message that arrives while the breaker lets none through (open, or half-open with its trial
 * message still running) is given back to its broker at once, unhandled and not retried, as a
 * {@link DependencyUnavailableException}: one taken just before the consumer stopped, or, on Redis
 * pub/sub, which cannot be paused, a broadcast that is then lost without its handler being run
 * against a dependency known to be down.
 *
 * <p>Outside the retries, so a message counts once however many runs it took; after the security
 * steps, so a forged message counts for nothing.
 */
final class CircuitBreakerStep implements ConsumerStep {

  private final ConsumerBreakers breakers;

  CircuitBreakerStep(ConsumerBreakers breakers) {
    this.breakers = breakers;
  }

  /**
   * @throws DependencyUnavailableException if the breaker lets no message through now
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    CircuitBreaker breaker = breakers.of(context.subscription()).circuitBreaker();
    if (!breaker.tryAcquirePermission()) {
      Envelope envelope = context.envelope();
      throw new DependencyUnavailableException(
          ("%s not handled: the consumer's circuit breaker is %s, as a dependency of its handler"
                  + " is unavailable")
              .formatted(
                  envelope != null ? envelope.id() : "A message",
                  ConsumerBreakers.nameOf(breaker.getState())),
          CallNotPermittedException.createCallNotPermittedException(breaker));
    }
    long start = breaker.getCurrentTimestamp();
    ConsumeResult result;
    try {
      result = next.proceed(context);
    } catch (RuntimeException | Error e) {
      breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
      throw e;
    }
    if (result instanceof ConsumeResult.Handled) {
      breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
    } else {
      breaker.releasePermission();
    }
    return result;
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.CIRCUIT_BREAKER;
  }
}
