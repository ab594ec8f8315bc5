package dev.asyncshop.messaging.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.IdempotencyStore.Outcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class InMemoryIdempotencyStoreTests {

  private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
  private final AtomicInteger runs = new AtomicInteger();
  private final List<String> callbacks = new CopyOnWriteArrayList<>();

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

  @Test
  void theWorkRunsWithSynchronizationAndItsCommitCallbacksRunOnceItReturned() {
    store.runOnce(
        "g",
        "m",
        () -> {
          assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isTrue();
          TransactionSynchronizationManager.registerSynchronization(recording());
          callbacks.add("work done");
        });

    assertThat(callbacks)
        .containsExactly(
            "work done", "beforeCommit", "beforeCompletion", "afterCommit", "afterCompletion 0");
    assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isFalse();
  }

  @Test
  void theMessageIsRecordedBeforeTheAfterCommitCallbacksRun() {
    boolean[] handledAtCommit = new boolean[1];
    store.runOnce(
        "g",
        "m",
        () ->
            TransactionSynchronizationManager.registerSynchronization(
                new TransactionSynchronization() {
                  @Override
                  public void afterCommit() {
                    handledAtCommit[0] = store.isHandled("g", "m");
                  }
                }));

    assertThat(handledAtCommit[0]).isTrue();
  }

  @Test
  void whenTheWorkFailsItsCallbacksAreDiscardedAsRolledBack() {
    assertThatThrownBy(
            () ->
                store.runOnce(
                    "g",
                    "m",
                    () -> {
                      TransactionSynchronizationManager.registerSynchronization(recording());
                      throw new IllegalStateException("down");
                    }))
        .hasMessage("down");

    assertThat(callbacks).containsExactly("beforeCompletion", "afterCompletion 1");
    assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isFalse();
    assertThat(store.isHandled("g", "m")).isFalse();
  }

  @Test
  void withSynchronizationAlreadyActiveTheWorkJoinsIt() {
    TransactionSynchronizationManager.initSynchronization();
    try {
      store.runOnce(
          "g", "m", () -> TransactionSynchronizationManager.registerSynchronization(recording()));

      assertThat(callbacks).isEmpty();
      assertThat(TransactionSynchronizationManager.getSynchronizations()).hasSize(1);
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
  }

  private TransactionSynchronization recording() {
    return new TransactionSynchronization() {
      @Override
      public void beforeCommit(boolean readOnly) {
        callbacks.add("beforeCommit");
      }

      @Override
      public void beforeCompletion() {
        callbacks.add("beforeCompletion");
      }

      @Override
      public void afterCommit() {
        callbacks.add("afterCommit");
      }

      @Override
      public void afterCompletion(int status) {
        callbacks.add("afterCompletion " + status);
      }
    };
  }
}
