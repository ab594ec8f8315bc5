package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Broadcasts stock levels once the transaction that changed them has committed, so listeners never
 * hear of a change that was rolled back. A broadcast may be lost (Redis pub/sub, and a failure here
 * is only logged), and two changes that commit close together may be heard out of order: a listener
 * that needs the exact level reads the product.
 */
@Component
class StockBroadcasts {

  private final MessageGateway gateway;

  StockBroadcasts(MessageGateway gateway) {
    this.gateway = gateway;
  }

  void afterCommit(Map<String, Integer> availableBySku) {
    if (availableBySku.isEmpty()) {
      return;
    }
    Map<String, Integer> levels = Map.copyOf(availableBySku);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            levels.forEach((sku, available) -> broadcast(new StockChanged(sku, available)));
          }
        });
  }

  /**
   * Not awaited: the change is committed, a broadcast is allowed to be lost (the gateway logs it),
   * and a slow Redis must not hold up the next reservation.
   */
  private void broadcast(StockChanged notice) {
    gateway.fireAndForget(notice, MessageOptions.about(notice.sku()));
  }
}
