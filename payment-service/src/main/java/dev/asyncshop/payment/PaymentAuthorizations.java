package dev.asyncshop.payment;

import dev.asyncshop.messaging.HandleMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Takes authorization commands; no payment provider is connected yet, so they are only logged. */
@Component
class PaymentAuthorizations {

  private static final Logger log = LoggerFactory.getLogger(PaymentAuthorizations.class);

  @HandleMessage
  void authorize(AuthorizePayment command) {
    log.info(
        "Authorize {} {} for order {}: not applied, no payment provider is connected yet",
        command.amount(),
        command.currency(),
        command.orderId());
  }
}
