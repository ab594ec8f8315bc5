package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.order.Order.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Orders} in a map, for tests without a database: each order is kept as the snapshot it was
 * stored as, and its messages go to the outbox the way the real store writes them (commands sent,
 * events published, keyed and correlated by the order id), and a saved order's status changes are
 * broadcast after commit as the real store does. An order a test adds is its setup, made outside
 * any transaction, so it is not broadcast. No timeline is kept.
 */
public class InMemoryOrders extends Orders {

  private final Map<UUID, Snapshot> orders = new ConcurrentHashMap<>();
  private final Outbox outbox;

  public InMemoryOrders(Outbox outbox, MessageGateway gateway) {
    super(null, outbox, gateway, null);
    this.outbox = outbox;
  }

  @Override
  public void add(Order order, List<Outgoing> messages) {
    orders.put(order.id(), order.snapshot());
    send(messages, options(order));
  }

  @Override
  public Optional<Order> lock(UUID id) {
    return Optional.ofNullable(orders.get(id)).map(Order::restore);
  }

  @Override
  public void save(Order order, List<Outgoing> messages) {
    orders.put(order.id(), order.snapshot());
    MessageOptions options = options(order);
    send(messages, options);
    broadcastStatusAfterCommit(order, options);
  }

  /** The stored status of an order. */
  public OrderStatus status(UUID id) {
    return orders.get(id).status();
  }

  public void clear() {
    orders.clear();
  }

  private static MessageOptions options(Order order) {
    return MessageOptions.about(order.id().toString()).correlatedWith(order.id().toString());
  }

  private void send(List<Outgoing> messages, MessageOptions options) {
    for (Outgoing message : messages) {
      if (message instanceof Outgoing.Command) {
        outbox.send(message.message(), options);
      } else {
        outbox.publish(message.message(), options);
      }
    }
  }
}
