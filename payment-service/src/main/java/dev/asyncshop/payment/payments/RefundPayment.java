package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.MessageType;
import org.jspecify.annotations.Nullable;

/** Gives an order's authorized amount back: the order was cancelled after it was paid. */
@MessageType("payment.refund.v1")
record RefundPayment(@Nullable String orderId, @Nullable String reason) {}
