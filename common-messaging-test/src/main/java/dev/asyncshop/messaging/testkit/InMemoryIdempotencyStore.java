package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.IdempotencyStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * Remembers handled messages in memory, with the Redis store's rules: a message is claimed while
 * its handler runs (another consumer of the group gets {@link MessageInProgressException}), marked
 * handled once the handler returned, and released when it threw, so a retry runs it again.
 *
 * <p>Like the JDBC store, it runs the handler in a unit of work that commits or rolls back as a
 * whole: transaction synchronization is active while the handler runs, and what the handler
 * registered (the outbox's sends, an application's {@code afterCommit} code) runs once the handler
 * returned, or is discarded as rolled back when it threw. So a failed attempt sends nothing, as it
 * would with the database. There is no database transaction: the handler's own writes are the
 * test's stand-ins'. When synchronization is already active (the caller's transaction), the handler
 * joins it, as the JDBC store's transaction would.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final Map<String, Thread> claimed = new ConcurrentHashMap<>();

  @Override
  public Outcome runOnce(String consumerGroup, String messageId, Runnable work) {
    String key = key(consumerGroup, messageId);
    if (handled.contains(key)) {
      return Outcome.DUPLICATE;
    }
    if (claimed.putIfAbsent(key, Thread.currentThread()) != null) {
      throw new MessageInProgressException(consumerGroup, messageId);
    }
    try {
      if (handled.contains(key)) {
        return Outcome.DUPLICATE;
      }
      inUnitOfWork(work, () -> handled.add(key));
      return Outcome.HANDLED;
    } finally {
      claimed.remove(key);
    }
  }

  /** Whether the group has handled the message. */
  public boolean isHandled(String consumerGroup, String messageId) {
    return handled.contains(key(consumerGroup, messageId));
  }

  /** Forgets every handled message. */
  public void clear() {
    handled.clear();
  }

  /**
   * Runs the work with transaction synchronization, then commits (records the message, then the
   * commit callbacks) or rolls back (only after-completion, rolled back), as a transaction manager
   * would. The message is recorded before the after-commit callbacks run, as the JDBC store's row
   * is committed by then: one that throws fails the delivery, but a redelivery is a duplicate. The
   * synchronizations are cleared before they are called, so what they send through the {@link
   * InMemoryOutbox} goes out at once instead of waiting for a commit that never comes.
   */
  private static void inUnitOfWork(Runnable work, Runnable commit) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      work.run();
      commit.run();
      return;
    }
    TransactionSynchronizationManager.initSynchronization();
    List<TransactionSynchronization> registered;
    try {
      work.run();
      TransactionSynchronizationUtils.triggerBeforeCommit(false);
      TransactionSynchronizationUtils.triggerBeforeCompletion();
      registered = TransactionSynchronizationManager.getSynchronizations();
      commit.run();
    } catch (RuntimeException | Error e) {
      TransactionSynchronizationUtils.triggerBeforeCompletion();
      List<TransactionSynchronization> discarded =
          TransactionSynchronizationManager.getSynchronizations();
      TransactionSynchronizationManager.clearSynchronization();
      TransactionSynchronizationUtils.invokeAfterCompletion(
          discarded, TransactionSynchronization.STATUS_ROLLED_BACK);
      throw e;
    }
    TransactionSynchronizationManager.clearSynchronization();
    TransactionSynchronizationUtils.invokeAfterCommit(registered);
    TransactionSynchronizationUtils.invokeAfterCompletion(
        registered, TransactionSynchronization.STATUS_COMMITTED);
  }

  private static String key(String consumerGroup, String messageId) {
    return consumerGroup + '\n' + messageId;
  }
}
