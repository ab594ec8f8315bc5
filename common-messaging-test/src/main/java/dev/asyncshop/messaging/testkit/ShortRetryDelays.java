package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Retry;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Replaces the backoff of the default retry and of every route's own with one short, fixed delay,
 * and keeps everything else: the number of retries, what is not retryable, the routes.
 */
final class ShortRetryDelays implements BeanPostProcessor {

  private final Duration delay;

  ShortRetryDelays(Duration delay) {
    this.delay = delay;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof MessagingProperties properties) {
      return shorten(properties);
    }
    return bean;
  }

  MessagingProperties shorten(MessagingProperties p) {
    return new MessagingProperties(
        p.serviceName(),
        p.routes().stream().map(this::shorten).toList(),
        shorten(p.retry()),
        p.idempotency(),
        p.audit(),
        p.rabbitmq(),
        p.kafka(),
        p.redis(),
        p.outbox(),
        p.parkingLot(),
        p.destinationPrefix(),
        p.maxPayloadSize());
  }

  private Route shorten(Route route) {
    return new Route(
        route.type(),
        route.kind(),
        route.transport(),
        route.destination(),
        shortenOrNull(route.retry()),
        route.timeout(),
        route.encrypt(),
        route.compacted(),
        route.retention());
  }

  private @Nullable Retry shortenOrNull(@Nullable Retry retry) {
    return retry == null ? null : shorten(retry);
  }

  private Retry shorten(Retry retry) {
    // Spring's RetryPolicy wants a positive longest delay.
    Duration longest = delay.isZero() ? Duration.ofNanos(1) : delay;
    return new Retry(
        retry.maxRetries(),
        delay,
        1.0,
        longest,
        Duration.ZERO,
        retry.nonRetryable(),
        retry.unavailable());
  }
}
