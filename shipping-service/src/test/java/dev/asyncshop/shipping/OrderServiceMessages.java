package dev.asyncshop.shipping;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/**
 * The messages as order-service writes and reads them, from docs/messages.md alone: tests send
 * these rather than the service's own records, so a renamed field fails a test instead of silently
 * breaking the contract.
 */
final class OrderServiceMessages {

  private OrderServiceMessages() {}

  @MessageType("shipping.quote.v1")
  record QuoteShipping(String country, BigDecimal weightKg) {}

  record ShippingQuote(BigDecimal price, String currency, int etaDays) {}

  @MessageType("shipping.schedule.v1")
  record ScheduleShipment(String orderId, Address address, BigDecimal weightKg) {}

  record Address(String name, String street, String city, String postalCode, String country) {}
}
