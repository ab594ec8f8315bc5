package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.MessageType;

/** The gateway refused the order's payment, for the reason given. */
@MessageType("payment.declined.v1")
record PaymentDeclined(String orderId, String reason) {}
