package dev.asyncshop.shipping.shipment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The parcel of one order.
 *
 * @param price what the carrier charges, by the tariff
 */
public record Shipment(
    UUID id,
    String orderId,
    String trackingNumber,
    String carrier,
    Address address,
    BigDecimal weightKg,
    BigDecimal price,
    String currency,
    LocalDate estimatedDelivery,
    Instant createdAt) {}
