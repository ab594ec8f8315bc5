package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Reserves an order's amount on the customer's card. */
@MessageType("payment.authorize.v1")
record AuthorizePayment(
    @Nullable String orderId,
    @Nullable String customerId,
    @Nullable BigDecimal amount,
    @Nullable String currency,
    @Nullable String cardToken) {}
