package dev.asyncshop.messaging.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

class KafkaSubscriberTests {

  @Test
  void aRecordWhoseDependencyIsDownIsTriedAgainForEverAtMostTenSecondsApart() {
    BackOff backOff =
        KafkaSubscriber.backOffFor(
            new ListenerExecutionFailedException(
                "listener failed",
                new DependencyUnavailableException(
                    "m-1", new DataAccessResourceFailureException("down"))));

    assertThat(backOff).isNotNull();
    BackOffExecution execution = backOff.start();
    assertThat(execution.nextBackOff()).isEqualTo(1_000);
    for (int i = 0; i < 10_000; i++) {
      assertThat(execution.nextBackOff()).isNotEqualTo(BackOffExecution.STOP).isLessThan(10_001);
    }
  }

  @Test
  void soIsOneWhoseIdempotencyStoreIsDown() {
    assertThat(
            KafkaSubscriber.backOffFor(
                new IdempotencyStore.StoreUnavailableException(
                    "Redis idempotency store unavailable", new IllegalStateException())))
        .isNotNull();
  }

  @Test
  void anyOtherFailureKeepsTheSafetyNetsOwnBackOff() {
    assertThat(KafkaSubscriber.backOffFor(new IllegalStateException("dead letter not written")))
        .isNull();
    assertThat(KafkaSubscriber.backOffFor(null)).isNull();
  }
}
