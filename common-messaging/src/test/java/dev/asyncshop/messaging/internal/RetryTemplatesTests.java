package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Retry;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

class RetryTemplatesTests {

  private final Retry settings =
      new Retry(
          2,
          Duration.ofMillis(1),
          2.0,
          Duration.ofMillis(5),
          Duration.ZERO,
          List.of(IllegalArgumentException.class),
          List.of(DataAccessResourceFailureException.class, ConnectException.class));
  private final Route route =
      new Route("t.v1", MessageKind.COMMAND, Transport.RABBITMQ, "q", null, Duration.ofSeconds(5));
  private final RetryTemplates retries = new RetryTemplates(settings);

  @Test
  void classifiesByTypeAndCause() {
    assertThat(retries.isRetryable(route, new IllegalStateException())).isTrue();
    assertThat(retries.isRetryable(route, new NonRetryableMessageException("no"))).isFalse();
    assertThat(retries.isRetryable(route, new IllegalArgumentException())).isFalse();
    assertThat(retries.isRetryable(route, new RuntimeException(new IllegalArgumentException())))
        .isFalse();
    assertThat(retries.isRetryable(route, new MessageInProgressException("g", "id"))).isTrue();
  }

  @Test
  void aStepsRejectionIsNeverRetried() {
    assertThat(
            retries.isRetryable(
                route, new RejectedMessageException(DeadLetterReason.RETRIES_EXHAUSTED, "no")))
        .isFalse();
    assertThat(retries.isRetryable(route, new PoisonMessageException("unreadable"))).isFalse();
  }

  @Test
  void routeRetrySettingsReplaceTheDefaults() {
    Route strict =
        new Route(
            "t.v1",
            MessageKind.COMMAND,
            Transport.RABBITMQ,
            "q",
            new Retry(
                0,
                Duration.ofMillis(1),
                1.0,
                Duration.ofMillis(1),
                Duration.ZERO,
                List.of(),
                List.of()),
            Duration.ofSeconds(5));

    assertThat(retries.isRetryable(strict, new IllegalArgumentException())).isTrue();
    assertThat(retries.forRoute(strict).getRetryPolicy().shouldRetry(new IllegalStateException()))
        .isTrue();
    assertThat(retries.isUnavailable(strict, new ConnectException("refused"))).isFalse();
  }

  @Test
  void aDependencyThatIsDownIsRecognisedByTypeAndCause() {
    assertThat(
            retries.isUnavailable(
                route, new CannotGetJdbcConnectionException("no connection", new SQLException())))
        .isTrue();
    assertThat(
            retries.isUnavailable(
                route,
                new IllegalStateException("wrapped", new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(retries.isUnavailable(route, new IllegalStateException("a bug"))).isFalse();
    TransactionSystemException rollbackFailed =
        new TransactionSystemException("Could not roll back", new SQLException("closed"));
    rollbackFailed.initApplicationException(
        new DataAccessResourceFailureException("connection terminated"));
    assertThat(retries.isUnavailable(route, rollbackFailed)).isTrue();
    assertThat(retries.isRetryable(route, new ConnectException("Connection refused"))).isTrue();
  }
}
