package dev.asyncshop.messaging.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.IdempotencyStore.Outcome;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTests {

  private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
  private final AtomicInteger runs = new AtomicInteger();

  @Test
  void aMessageRunsOncePerGroup() {
    assertThat(store.runOnce("g", "m", runs::incrementAndGet)).isEqualTo(Outcome.HANDLED);
    assertThat(store.runOnce("g", "m", runs::incrementAndGet)).isEqualTo(Outcome.DUPLICATE);
    assertThat(store.runOnce("other", "m", runs::incrementAndGet)).isEqualTo(Outcome.HANDLED);

    assertThat(runs).hasValue(2);
  }

  @Test
  void aFailedRunIsForgottenSoARetryRunsAgain() {
    assertThatThrownBy(
            () ->
                store.runOnce(
                    "g",
                    "m",
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .hasMessage("down");

    assertThat(store.runOnce("g", "m", runs::incrementAndGet)).isEqualTo(Outcome.HANDLED);
  }

  @Test
  void aMessageBeingHandledIsInProgressForAnotherConsumer() throws Exception {
    Thread[] other = new Thread[1];
    Throwable[] seen = new Throwable[1];
    store.runOnce(
        "g",
        "m",
        () -> {
          other[0] =
              new Thread(
                  () -> {
                    try {
                      store.runOnce("g", "m", runs::incrementAndGet);
                    } catch (Throwable t) {
                      seen[0] = t;
                    }
                  });
          other[0].start();
          try {
            other[0].join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });

    assertThat(seen[0]).isInstanceOf(MessageInProgressException.class);
    assertThat(store.isHandled("g", "m")).isTrue();
  }
}
