package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Retry;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/** Spring's {@link RetryTemplate}, one per route, built from the route's retry settings. */
public class RetryTemplates {

  private final Retry defaults;
  private final Map<String, RetryTemplate> byType = new ConcurrentHashMap<>();

  public RetryTemplates(Retry defaults) {
    this.defaults = defaults;
  }

  public RetryTemplate forRoute(Route route) {
    return byType.computeIfAbsent(
        route.type(), type -> create(route.retry() != null ? route.retry() : defaults));
  }

  /** Whether retrying could help with this failure. */
  public boolean isRetryable(Route route, Throwable failure) {
    return isRetryable(route.retry() != null ? route.retry() : defaults, failure);
  }

  private static RetryTemplate create(Retry settings) {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxRetries(settings.maxRetries())
            .delay(settings.initialDelay())
            .multiplier(settings.multiplier())
            .maxDelay(settings.maxDelay())
            .jitter(settings.jitter())
            .predicate(failure -> isRetryable(settings, failure))
            .build();
    return new RetryTemplate(policy);
  }

  private static boolean isRetryable(Retry settings, Throwable failure) {
    List<Class<? extends Throwable>> nonRetryable = settings.nonRetryable();
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MessageInProgressException) {
        return true;
      }
      // A step's rejection (poison included) says the message can never be handled as it is.
      if (t instanceof NonRetryableMessageException || t instanceof RejectedMessageException) {
        return false;
      }
      for (Class<? extends Throwable> type : nonRetryable) {
        if (type.isInstance(t)) {
          return false;
        }
      }
    }
    return true;
  }
}
