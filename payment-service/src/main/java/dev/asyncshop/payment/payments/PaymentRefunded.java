package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** The order's authorized amount was given back to the customer. */
@MessageType("payment.refunded.v1")
record PaymentRefunded(String orderId, String paymentId, BigDecimal amount, String currency) {}
