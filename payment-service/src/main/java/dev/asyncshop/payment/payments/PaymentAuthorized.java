package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** The order's amount is authorized on the customer's card. */
@MessageType("payment.authorized.v1")
record PaymentAuthorized(String orderId, String paymentId, BigDecimal amount, String currency) {}
