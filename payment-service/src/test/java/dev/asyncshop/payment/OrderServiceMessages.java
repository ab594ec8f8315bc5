package dev.asyncshop.payment;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/**
 * The commands as order-service sends them, from docs/messages.md alone: tests send these rather
 * than the service's own records, so a renamed field fails a test instead of silently breaking the
 * contract.
 */
final class OrderServiceMessages {

  private OrderServiceMessages() {}

  @MessageType("payment.authorize.v1")
  record AuthorizePayment(
      String orderId, String customerId, BigDecimal amount, String currency, String cardToken) {}

  @MessageType("payment.refund.v1")
  record RefundPayment(String orderId, String reason) {}
}
