package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.IdempotencyStore;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers handled messages in memory, with the Redis store's rules: a message is claimed while
 * its handler runs (another consumer of the group gets {@link MessageInProgressException}), marked
 * handled once the handler returned, and released when it threw, so a retry runs it again.
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
      work.run();
      handled.add(key);
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

  private static String key(String consumerGroup, String messageId) {
    return consumerGroup + '\n' + messageId;
  }
}
