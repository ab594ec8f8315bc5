package dev.asyncshop.payment.gateway;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What is asked of the gateway. A real gateway would take the order id as its idempotency key, so
 * that asking twice never charges twice.
 */
public record CardCharge(
    String orderId, BigDecimal amount, String currency, @Nullable String cardToken) {}
