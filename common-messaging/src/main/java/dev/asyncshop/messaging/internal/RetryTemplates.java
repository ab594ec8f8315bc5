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
import org.springframework.transaction.TransactionSystemException;

/** Spring's {@link RetryTemplate}, one per route, built from the route's retry settings. */
public class RetryTemplates {

  private final Retry defaults;
  private final Map<String, RetryTemplate> byType = new ConcurrentHashMap<>();

  public RetryTemplates(Retry defaults) {
    this.defaults = defaults;
  }

  public RetryTemplate forRoute(Route route) {
    return byType.computeIfAbsent(route.type(), type -> create(settings(route)));
  }

  /** Whether retrying could help with this failure. */
  public boolean isRetryable(Route route, Throwable failure) {
    return isRetryable(settings(route), failure);
  }

  /**
   * Whether the failure, or one of its causes, says that a dependency of the handler is down rather
   * than that anything is wrong with the message ({@code messaging.retry.unavailable}). A
   * transaction that could not even roll back hides the handler's failure behind its own; that
   * failure is looked at too: a database that went away mid-transaction fails the handler's
   * statement and then the rollback.
   */
  public boolean isUnavailable(Route route, Throwable failure) {
    return isUnavailable(settings(route).unavailable(), failure);
  }

  private static boolean isUnavailable(
      List<Class<? extends Throwable>> unavailable, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : unavailable) {
        if (type.isInstance(t)) {
          return true;
        }
      }
      if (t instanceof TransactionSystemException transaction
          && transaction.getApplicationException() != null
          && isUnavailable(unavailable, transaction.getApplicationException())) {
        return true;
      }
    }
    return false;
  }

  private Retry settings(Route route) {
    return route.retry() != null ? route.retry() : defaults;
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
