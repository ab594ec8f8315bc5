package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The other services' side of the contract in {@code docs/messages.md}, as the tests' own records:
 * what inventory, payment and shipping would read from order-service and send back to it.
 */
final class StandInMessages {

  private StandInMessages() {}

  record Line(String sku, int quantity) {}

  record Address(String name, String street, String city, String postalCode, String country) {}

  // What inventory and shipping publish for order-service's local tables.

  @MessageType("inventory.product-state.v1")
  record ProductState(
      String sku,
      String name,
      BigDecimal unitPrice,
      String currency,
      BigDecimal weightKg,
      int available) {}

  @MessageType("shipping.tariff.v1")
  record Tariff(
      String currency,
      BigDecimal pricePerKg,
      BigDecimal freightAboveKg,
      int freightExtraDays,
      List<ZoneRate> zones) {}

  record ZoneRate(String name, BigDecimal basePrice, int etaDays, List<String> countries) {}

  // The query order-service asks, and its answer.

  @MessageType("shipping.quote.v1")
  record QuoteRequest(String country, BigDecimal weightKg) {}

  record Quote(BigDecimal price, String currency, int etaDays) {}

  // Commands order-service sends.

  @MessageType("inventory.reserve.v1")
  record Reserve(UUID orderId, List<Line> lines) {}

  @MessageType("inventory.release.v1")
  record Release(UUID orderId, String reason) {}

  @MessageType("payment.authorize.v1")
  record Authorize(
      UUID orderId, String customerId, BigDecimal amount, String currency, String cardToken) {}

  @MessageType("payment.refund.v1")
  record Refund(UUID orderId, String reason) {}

  @MessageType("shipping.schedule.v1")
  record Schedule(UUID orderId, Address address, BigDecimal weightKg) {}

  // Order-service's own events.

  @MessageType("order.placed.v1")
  record Placed(UUID orderId, String customerId, BigDecimal total, String currency) {}

  @MessageType("order.confirmed.v1")
  record Confirmed(UUID orderId) {}

  @MessageType("order.cancelled.v1")
  record Cancelled(UUID orderId, String status, String reason) {}

  @MessageType("order.shipped.v1")
  record Shipped(UUID orderId, String trackingNumber) {}

  // Events the other services publish.

  @MessageType("inventory.reserved.v1")
  record Reserved(UUID orderId, List<Line> lines) {}

  @MessageType("inventory.rejected.v1")
  record Rejected(UUID orderId, String reason) {}

  @MessageType("inventory.released.v1")
  record Released(UUID orderId) {}

  @MessageType("payment.authorized.v1")
  record Authorized(UUID orderId, String paymentId, BigDecimal amount, String currency) {}

  @MessageType("payment.declined.v1")
  record Declined(UUID orderId, String reason) {}

  @MessageType("payment.refunded.v1")
  record Refunded(UUID orderId, String paymentId, BigDecimal amount, String currency) {}

  @MessageType("shipment.scheduled.v1")
  record Scheduled(
      UUID orderId,
      String shipmentId,
      String trackingNumber,
      String carrier,
      LocalDate estimatedDelivery) {}
}
