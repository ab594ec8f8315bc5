package dev.asyncshop.order.tracking;

import dev.asyncshop.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An order in a list. */
public record OrderSummary(
    UUID id,
    String customerId,
    OrderStatus status,
    BigDecimal total,
    String currency,
    Instant placedAt,
    Instant updatedAt) {}
