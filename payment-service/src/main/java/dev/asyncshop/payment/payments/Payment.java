package dev.asyncshop.payment.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The payment of one order. */
public record Payment(
    UUID id,
    String orderId,
    @Nullable String customerId,
    PaymentStatus status,
    BigDecimal amount,
    String currency,
    @Nullable String declineReason,
    @Nullable String refundReason,
    Instant createdAt,
    @Nullable Instant refundedAt) {}
