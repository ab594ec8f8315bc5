package dev.asyncshop.payment.payments.web;

import dev.asyncshop.payment.payments.Payment;
import dev.asyncshop.payment.payments.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A payment as the API shows it; the card token is never kept, so never shown. */
record PaymentView(
    String paymentId,
    String orderId,
    @Nullable String customerId,
    PaymentStatus status,
    BigDecimal amount,
    String currency,
    @Nullable String declineReason,
    @Nullable String refundReason,
    Instant createdAt,
    @Nullable Instant refundedAt) {

  static PaymentView of(Payment payment) {
    return new PaymentView(
        payment.id().toString(),
        payment.orderId(),
        payment.customerId(),
        payment.status(),
        payment.amount(),
        payment.currency(),
        payment.declineReason(),
        payment.refundReason(),
        payment.createdAt(),
        payment.refundedAt());
  }
}
