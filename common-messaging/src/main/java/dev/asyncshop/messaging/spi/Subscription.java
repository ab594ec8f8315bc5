package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Transport;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one consumer group takes from one destination, and the handler of each type found there.
 *
 * @param transport the broker
 * @param destination the topic, queue or channel, with the destination prefix
 * @param group the consumer group
 * @param handlers the handler of each message type, by type
 */
public record Subscription(
    Transport transport, String destination, String group, Map<String, MessageHandler> handlers) {

  public Subscription {
    handlers = Map.copyOf(handlers);
  }

  /** The handler of a type, or {@code null} when this subscription does not handle it. */
  public @Nullable MessageHandler handlerOf(String type) {
    return handlers.get(type);
  }
}
