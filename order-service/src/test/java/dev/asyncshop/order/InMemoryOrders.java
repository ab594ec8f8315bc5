package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Orders} in a map, for tests without a database: each order is kept as its events and its
 * card token, and its commands and events go to the outbox the way the real store writes them
 * (commands sent, events published, keyed and correlated by the order id), and a saved order's
 * status changes are broadcast after commit as the real store does. An order a test adds is its
 * setup, made outside any transaction, so it is not broadcast. No timeline is kept.
 */
public class InMemoryOrders extends Orders {

  private record Stored(List<OrderEvent> events, Order.PersonalData personal) {}

  private final Map<UUID, Stored> orders = new ConcurrentHashMap<>();
  private final Outbox outbox;

  public InMemoryOrders(Outbox outbox, MessageGateway gateway) {
    super(null, outbox, gateway, null, null);
    this.outbox = outbox;
  }

  @Override
  public void add(Order order, List<SagaCommand> commands) {
    store(order);
    write(order, commands, options(order));
  }

  @Override
  public Optional<Order> lock(UUID id) {
    return Optional.ofNullable(orders.get(id))
        .map(stored -> Order.replay(id, stored.events(), stored.personal()));
  }

  @Override
  public void save(Order order, List<SagaCommand> commands) {
    store(order);
    MessageOptions options = options(order);
    write(order, commands, options);
    broadcastStatusAfterCommit(order, options);
  }

  /** The stored status of an order. */
  public OrderStatus status(UUID id) {
    return lock(id).orElseThrow().status();
  }

  public void clear() {
    orders.clear();
  }

  private void store(Order order) {
    List<OrderEvent> events = new ArrayList<>();
    Stored before = orders.get(order.id());
    if (before != null) {
      events.addAll(before.events());
    }
    events.addAll(order.newEvents());
    orders.put(order.id(), new Stored(List.copyOf(events), order.personalData()));
  }

  private static MessageOptions options(Order order) {
    return MessageOptions.about(order.id().toString()).correlatedWith(order.id().toString());
  }

  private void write(Order order, List<SagaCommand> commands, MessageOptions options) {
    for (SagaCommand command : commands) {
      outbox.send(command.message(), options);
    }
    for (OrderEvent event : order.newEvents()) {
      outbox.publish(event, options);
    }
  }
}
