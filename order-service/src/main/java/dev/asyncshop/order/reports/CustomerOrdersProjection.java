package dev.asyncshop.order.reports;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.OrderEvent.OrderCancelled;
import dev.asyncshop.order.OrderEvent.OrderConfirmed;
import dev.asyncshop.order.OrderEvent.OrderPaid;
import dev.asyncshop.order.OrderEvent.OrderPlaced;
import dev.asyncshop.order.OrderEvent.OrderReserved;
import dev.asyncshop.order.OrderEvent.OrderShipped;
import dev.asyncshop.order.OrderEvent.PlacedLine;
import dev.asyncshop.order.OrderStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes customer-orders: each customer's orders and where each got to. An order whose first event
 * is not on the topic (placed before orders were stored as events) is not in it: its later events
 * find no row to change.
 */
@Component
class CustomerOrdersProjection {

  private final JdbcTemplate jdbc;

  CustomerOrdersProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void placed(OrderPlaced placed) {
    jdbc.update(
        "insert into customer_order (order_id, customer_id, placed_at, status, items, total,"
            + " currency, changed_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        placed.orderId(),
        placed.customerId(),
        Timestamp.from(placed.at()),
        OrderStatus.PENDING.name(),
        placed.lines().stream().mapToInt(PlacedLine::quantity).sum(),
        placed.total(),
        placed.currency(),
        Timestamp.from(placed.at()));
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void reserved(OrderReserved reserved) {
    changed(reserved.orderId(), OrderStatus.INVENTORY_RESERVED, reserved.at(), null);
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void paid(OrderPaid paid) {
    changed(paid.orderId(), OrderStatus.PAYMENT_AUTHORIZED, paid.at(), null);
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void confirmed(OrderConfirmed confirmed) {
    changed(confirmed.orderId(), OrderStatus.CONFIRMED, confirmed.at(), null);
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void shipped(OrderShipped shipped) {
    changed(shipped.orderId(), OrderStatus.SHIPPED, shipped.at(), shipped.trackingNumber());
  }

  @HandleMessage(projection = ReportProjections.CUSTOMER_ORDERS)
  void cancelled(OrderCancelled cancelled) {
    changed(cancelled.orderId(), cancelled.status(), cancelled.at(), null);
  }

  private void changed(
      UUID orderId, OrderStatus status, Instant at, @Nullable String trackingNumber) {
    jdbc.update(
        "update customer_order set status = ?, changed_at = ?,"
            + " tracking_number = coalesce(?, tracking_number) where order_id = ?",
        status.name(),
        Timestamp.from(at),
        trackingNumber,
        orderId);
  }
}
