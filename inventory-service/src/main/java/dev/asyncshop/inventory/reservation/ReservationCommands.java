package dev.asyncshop.inventory.reservation;

import dev.asyncshop.inventory.stock.Shortfall;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Outbox;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reserves and releases stock for orders. Each handler runs in the transaction in which the library
 * records the message as handled, and its answer goes out through the outbox in that same
 * transaction: a reservation and its event commit together or not at all.
 *
 * <p>Each order has one outcome, whatever arrives how often and in which order: a second reserve or
 * release for an order changes nothing and publishes nothing. A release that arrives before its
 * reserve (the order timed out and was compensated first) leaves a tombstone, so the late reserve
 * is rejected instead of taking stock nobody will ever give back.
 */
@Component
class ReservationCommands {

  static final String ORDER_CANCELLED = "order cancelled";

  private static final Logger log = LoggerFactory.getLogger(ReservationCommands.class);

  private final Reservations reservations;
  private final Stock stock;
  private final Outbox outbox;

  ReservationCommands(Reservations reservations, Stock stock, Outbox outbox) {
    this.reservations = reservations;
    this.stock = stock;
    this.outbox = outbox;
  }

  @HandleMessage
  void reserve(ReserveInventory command) {
    String orderId = required(command.orderId());
    SortedMap<String, Integer> quantities = command.quantitiesBySku();
    Optional<ReservationStatus> known = reservations.lock(orderId);
    if (known.isPresent()) {
      if (known.get() == ReservationStatus.CANCELLED) {
        reservations.change(orderId, ReservationStatus.REJECTED, ORDER_CANCELLED);
        outbox.publish(new InventoryRejected(orderId, ORDER_CANCELLED), about(orderId));
      } else {
        log.info("Order {} is already {} here; reserve ignored", orderId, known.get());
      }
      return;
    }
    Shortfall shortfall = stock.take(quantities);
    if (shortfall.isEmpty()) {
      reservations.add(orderId, ReservationStatus.RESERVED, null, quantities);
      outbox.publish(
          new InventoryReserved(
              orderId,
              quantities.entrySet().stream()
                  .map(line -> new InventoryReserved.Line(line.getKey(), line.getValue()))
                  .toList()),
          about(orderId));
    } else {
      reservations.add(orderId, ReservationStatus.REJECTED, shortfall.reason(), Map.of());
      outbox.publish(new InventoryRejected(orderId, shortfall.reason()), about(orderId));
    }
  }

  @HandleMessage
  void release(ReleaseInventory command) {
    String orderId = required(command.orderId());
    Optional<ReservationStatus> known = reservations.lock(orderId);
    if (known.isEmpty()) {
      reservations.add(orderId, ReservationStatus.CANCELLED, command.reason(), Map.of());
      outbox.publish(new InventoryReleased(orderId), about(orderId));
      return;
    }
    if (known.get() != ReservationStatus.RESERVED) {
      log.info("Order {} is {} here; nothing to release", orderId, known.get());
      return;
    }
    stock.giveBack(reservations.lines(orderId));
    reservations.change(orderId, ReservationStatus.RELEASED, command.reason());
    outbox.publish(new InventoryReleased(orderId), about(orderId));
  }

  private static String required(@Nullable String orderId) {
    if (orderId == null || orderId.isBlank()) {
      throw new NonRetryableMessageException("Command without an order id");
    }
    return orderId;
  }

  private static MessageOptions about(String orderId) {
    return MessageOptions.about(orderId);
  }
}
