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
 * @param table a local table: every instance reads the destination from its start, with no consumer
 *     group and no duplicate check (see {@link dev.asyncshop.messaging.HandleMessage#table})
 * @param projection part of a projection, whose name is the group: its engine reads the destination
 *     with no consumer group and keeps the offsets with the read model, so no duplicate check
 *     either (see {@link dev.asyncshop.messaging.HandleMessage#projection})
 */
public record Subscription(
    Transport transport,
    String destination,
    String group,
    Map<String, MessageHandler> handlers,
    boolean table,
    boolean projection) {

  public Subscription {
    handlers = Map.copyOf(handlers);
  }

  /** A subscription of a consumer group, or a local table. */
  public Subscription(
      Transport transport,
      String destination,
      String group,
      Map<String, MessageHandler> handlers,
      boolean table) {
    this(transport, destination, group, handlers, table, false);
  }

  /**
   * A subscription of a consumer group, which shares the destination's messages among its members.
   */
  public Subscription(
      Transport transport, String destination, String group, Map<String, MessageHandler> handlers) {
    this(transport, destination, group, handlers, false);
  }

  /** Whether each message is handled once per group, so the idempotency store is asked. */
  public boolean deduplicated() {
    return !table && !projection;
  }

  /** The handler of a type, or {@code null} when this subscription does not handle it. */
  public @Nullable MessageHandler handlerOf(String type) {
    return handlers.get(type);
  }
}
