package dev.asyncshop.payment;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** Reserves an order's amount on the customer's means of payment, to be captured on shipping. */
@MessageType("payment.authorize.v1")
record AuthorizePayment(String orderId, BigDecimal amount, String currency) {}
