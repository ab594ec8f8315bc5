package dev.asyncshop.order;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Encrypts, once the service is up, any card token a version before encryption stored in the clear.
 * Flyway cannot do it: its migrations hold no key. Until then such a token is still read as it is,
 * so no pending order is held up.
 */
@Component
class ClearCardTokens {

  private static final Logger log = LoggerFactory.getLogger(ClearCardTokens.class);

  private final Orders orders;
  private final TransactionTemplate transactions;

  ClearCardTokens(Orders orders, TransactionTemplate transactions) {
    this.orders = orders;
    this.transactions = transactions;
  }

  @EventListener(ApplicationReadyEvent.class)
  void encrypt() {
    Integer encrypted = transactions.execute(status -> orders.encryptClearCardTokens());
    if (encrypted != null && encrypted > 0) {
      log.info("Encrypted {} card token(s) stored in the clear", encrypted);
    }
  }
}
