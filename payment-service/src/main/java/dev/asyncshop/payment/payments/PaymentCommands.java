package dev.asyncshop.payment.payments;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.payment.gateway.CardCharge;
import dev.asyncshop.payment.gateway.CardGateway;
import dev.asyncshop.payment.gateway.GatewayAnswer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Authorizes and refunds payments. Each handler runs in the transaction in which the library
 * records the message as handled, and its event goes out through the outbox in that same
 * transaction. An order is charged at most once: a second authorize for it, whatever its message
 * id, finds the first payment and does nothing, and a refund happens once.
 */
@Component
class PaymentCommands {

  private static final Logger log = LoggerFactory.getLogger(PaymentCommands.class);

  private final Payments payments;
  private final CardGateway gateway;
  private final Outbox outbox;
  private final Clock clock;

  PaymentCommands(Payments payments, CardGateway gateway, Outbox outbox, Clock clock) {
    this.payments = payments;
    this.gateway = gateway;
    this.outbox = outbox;
    this.clock = clock;
  }

  @HandleMessage
  void authorize(AuthorizePayment command) {
    String orderId = required(command.orderId(), "order id");
    BigDecimal amount = Objects.requireNonNullElse(command.amount(), BigDecimal.ZERO);
    String currency = required(command.currency(), "currency");
    if (!currency.matches("[A-Z]{3}")) {
      throw new NonRetryableMessageException("Not an ISO 4217 currency code: " + currency);
    }
    Optional<Payment> earlier = payments.find(orderId);
    if (earlier.isPresent()) {
      log.info(
          "Order {} already has a payment ({}); authorize ignored",
          orderId,
          earlier.get().status());
      return;
    }
    GatewayAnswer answer =
        gateway.authorize(new CardCharge(orderId, amount, currency, command.cardToken()));
    Payment payment =
        new Payment(
            UUID.randomUUID(),
            orderId,
            command.customerId(),
            answer.approved() ? PaymentStatus.AUTHORIZED : PaymentStatus.DECLINED,
            amount.setScale(2, RoundingMode.HALF_UP),
            currency,
            answer.declineReason(),
            null,
            clock.instant(),
            null);
    if (!payments.addIfAbsent(payment)) {
      log.info("Order {} was paid by a concurrent authorize; this one is ignored", orderId);
      return;
    }
    if (answer.approved()) {
      outbox.publish(
          new PaymentAuthorized(
              orderId, payment.id().toString(), payment.amount(), payment.currency()),
          MessageOptions.about(orderId));
    } else {
      outbox.publish(
          new PaymentDeclined(orderId, Objects.requireNonNull(answer.declineReason())),
          MessageOptions.about(orderId));
    }
  }

  @HandleMessage
  void refund(RefundPayment command) {
    String orderId = required(command.orderId(), "order id");
    Optional<Payment> refunded = payments.refund(orderId, command.reason(), clock.instant());
    if (refunded.isEmpty()) {
      log.info(
          "Nothing to refund for order {}: {}",
          orderId,
          payments.find(orderId).map(p -> "its payment is " + p.status()).orElse("no payment"));
      return;
    }
    Payment payment = refunded.get();
    outbox.publish(
        new PaymentRefunded(orderId, payment.id().toString(), payment.amount(), payment.currency()),
        MessageOptions.about(orderId));
  }

  private static String required(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      throw new NonRetryableMessageException("Payment command without " + name);
    }
    return value;
  }
}
