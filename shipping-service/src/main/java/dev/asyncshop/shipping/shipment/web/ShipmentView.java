package dev.asyncshop.shipping.shipment.web;

import dev.asyncshop.shipping.shipment.Address;
import dev.asyncshop.shipping.shipment.Shipment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A shipment as the API shows it. */
record ShipmentView(
    String shipmentId,
    String orderId,
    String trackingNumber,
    String carrier,
    Address address,
    BigDecimal weightKg,
    BigDecimal price,
    String currency,
    LocalDate estimatedDelivery,
    Instant createdAt) {

  static ShipmentView of(Shipment shipment) {
    return new ShipmentView(
        shipment.id().toString(),
        shipment.orderId(),
        shipment.trackingNumber(),
        shipment.carrier(),
        shipment.address(),
        shipment.weightKg(),
        shipment.price(),
        shipment.currency(),
        shipment.estimatedDelivery(),
        shipment.createdAt());
  }
}
