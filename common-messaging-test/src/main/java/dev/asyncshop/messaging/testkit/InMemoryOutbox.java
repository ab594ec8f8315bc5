package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An outbox without a table: sends through the gateway, and so through the in-memory transports,
 * once the caller's transaction committed, or at once when there is none. Unlike the JDBC outbox it
 * needs no transaction, so a handler that writes to the outbox runs without a database.
 */
public final class InMemoryOutbox implements Outbox {

  private final ObjectProvider<MessageGateway> gateway;

  /**
   * @param gateway looked up on first send: the gateway needs the transports, which may need this
   */
  public InMemoryOutbox(ObjectProvider<MessageGateway> gateway) {
    this.gateway = gateway;
  }

  @Override
  public void publish(Object event, MessageOptions options) {
    afterCommit(() -> gateway.getObject().publish(event, options));
  }

  @Override
  public void send(Object command, MessageOptions options) {
    afterCommit(() -> gateway.getObject().send(command, options));
  }

  private static void afterCommit(Runnable send) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      send.run();
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            send.run();
          }
        });
  }
}
