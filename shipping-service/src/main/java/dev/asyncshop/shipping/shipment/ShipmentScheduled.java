package dev.asyncshop.shipping.shipment;

import dev.asyncshop.messaging.MessageType;
import java.time.LocalDate;

/** The order's parcel is booked with the carrier. */
@MessageType("shipment.scheduled.v1")
record ShipmentScheduled(
    String orderId,
    String shipmentId,
    String trackingNumber,
    String carrier,
    LocalDate estimatedDelivery) {}
