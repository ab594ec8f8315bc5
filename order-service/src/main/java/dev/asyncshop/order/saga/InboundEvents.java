package dev.asyncshop.order.saga;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The other services' events the saga reads, as in {@code docs/messages.md}. */
final class InboundEvents {

  private InboundEvents() {}

  record Line(String sku, int quantity) {}

  @MessageType("inventory.reserved.v1")
  record InventoryReserved(UUID orderId, @Nullable List<Line> lines) {}

  @MessageType("inventory.rejected.v1")
  record InventoryRejected(UUID orderId, @Nullable String reason) {}

  @MessageType("inventory.released.v1")
  record InventoryReleased(UUID orderId) {}

  @MessageType("payment.authorized.v1")
  record PaymentAuthorized(UUID orderId, String paymentId, BigDecimal amount, String currency) {}

  @MessageType("payment.declined.v1")
  record PaymentDeclined(UUID orderId, @Nullable String reason) {}

  @MessageType("payment.refunded.v1")
  record PaymentRefunded(UUID orderId, String paymentId, BigDecimal amount, String currency) {}

  @MessageType("shipment.scheduled.v1")
  record ShipmentScheduled(
      UUID orderId,
      String shipmentId,
      String trackingNumber,
      String carrier,
      @Nullable LocalDate estimatedDelivery) {}
}
