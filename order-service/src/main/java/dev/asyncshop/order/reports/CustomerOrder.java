package dev.asyncshop.order.reports;

import dev.asyncshop.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One order in a customer's history, as its last event left it. */
public record CustomerOrder(
    UUID orderId,
    Instant placedAt,
    OrderStatus status,
    int items,
    BigDecimal total,
    String currency,
    @Nullable String trackingNumber,
    Instant changedAt) {}
