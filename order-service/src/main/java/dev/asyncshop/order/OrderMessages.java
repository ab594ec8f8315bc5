package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The messages order-service sends, as in {@code docs/messages.md}: the saga's commands and the
 * status broadcast. Its domain events are the {@link OrderEvent}s. Order-service's own records; no
 * other service's classes.
 */
public final class OrderMessages {

  private OrderMessages() {}

  /** One SKU and how many of it, in {@link ReserveInventory}. */
  public record Line(String sku, int quantity) {}

  @MessageType("inventory.reserve.v1")
  public record ReserveInventory(UUID orderId, List<Line> lines) {}

  /** Also sent when inventory may never have reserved: inventory then records a tombstone. */
  @MessageType("inventory.release.v1")
  public record ReleaseInventory(UUID orderId, String reason) {}

  @MessageType("payment.authorize.v1")
  public record AuthorizePayment(
      UUID orderId, String customerId, BigDecimal amount, String currency, String cardToken) {}

  @MessageType("payment.refund.v1")
  public record RefundPayment(UUID orderId, String reason) {}

  /** The address as {@link ScheduleShipment} carries it. */
  public record Address(
      String name, String street, String city, String postalCode, String country) {

    static Address of(ShippingAddress address) {
      return new Address(
          address.name(),
          address.street(),
          address.city(),
          address.postalCode(),
          address.country());
    }
  }

  @MessageType("shipping.schedule.v1")
  public record ScheduleShipment(UUID orderId, Address address, BigDecimal weightKg) {}

  /** Told to every order-service instance, which passes it on to the order's live streams. */
  @MessageType("order.status-changed.v1")
  public record OrderStatusChanged(UUID orderId, OrderStatus status, Instant at, String detail) {}
}
