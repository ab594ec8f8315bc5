package dev.asyncshop.messaging.testkit.example;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.LoyaltyPoints;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.LoyaltyQuery;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.OrderPaid;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PackParcel;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.ParcelPacked;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Price;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.PriceQuery;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Restock;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.Restocked;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.ShipOrder;
import dev.asyncshop.messaging.testkit.example.ExampleMessages.StockNotice;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Handlers of every kind, with the failures the kit's tests need. */
@Component
class Warehouse {

  final List<StockNotice> notices = new CopyOnWriteArrayList<>();

  private final Outbox outbox;
  private final MessageGateway gateway;
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  Warehouse(Outbox outbox, MessageGateway gateway) {
    this.outbox = outbox;
    this.gateway = gateway;
  }

  @HandleMessage
  void pack(PackParcel command) {
    if (command.refuse()) {
      throw new NonRetryableMessageException("Order " + command.orderId() + " cannot be packed");
    }
    int run = runs.computeIfAbsent(command.orderId(), id -> new AtomicInteger()).incrementAndGet();
    if (run <= command.failures()) {
      throw new IllegalStateException("Warehouse busy, run " + run);
    }
    outbox.publish(new ParcelPacked(command.orderId()), MessageOptions.about(command.orderId()));
  }

  /**
   * Writes to the outbox and registers a broadcast for after the commit, as the services' stores
   * do, before it may fail: a failed run must send neither.
   */
  @HandleMessage
  void restock(Restock command) {
    outbox.publish(new Restocked(command.sku(), command.quantity()), MessageOptions.NONE);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            gateway.fireAndForget(
                new StockNotice(command.sku(), command.quantity()),
                MessageOptions.about(command.sku()));
          }
        });
    int run = runs.computeIfAbsent(command.sku(), id -> new AtomicInteger()).incrementAndGet();
    if (run <= command.failures()) {
      throw new IllegalStateException("Stock locked, run " + run);
    }
  }

  @HandleMessage
  Price price(PriceQuery query) {
    if (!query.sku().startsWith("sku-")) {
      throw new NonRetryableMessageException("Unknown SKU " + query.sku());
    }
    return new Price(query.sku(), new BigDecimal("9.99"));
  }

  @HandleMessage
  void on(OrderPaid event) {
    LoyaltyPoints points =
        gateway.ask(new LoyaltyQuery(event.orderId()), LoyaltyPoints.class).join();
    gateway.send(new ShipOrder(event.orderId(), points.points()));
  }

  @HandleMessage
  void on(StockNotice notice) {
    notices.add(notice);
  }
}
