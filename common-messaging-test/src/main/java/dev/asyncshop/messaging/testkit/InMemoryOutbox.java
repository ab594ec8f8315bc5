package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.spi.CurrentMessage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * An outbox without a table: sends through the gateway, and so through the in-memory transports,
 * once the caller's transaction committed, or at once when there is none. A handler's unit of work
 * stands in for its transaction ({@link InMemoryIdempotencyStore}), so what a handler writes here
 * goes out only if the handler returned, once per message, as with the JDBC outbox. Unlike that
 * outbox it needs no transaction, so code outside a handler may use it without a database.
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

  /**
   * The JDBC outbox makes the envelope when the message is written, so it keeps the correlation and
   * causation of the handler that wrote it; here the send is made later, as the message being
   * handled when it was written.
   */
  private static void afterCommit(Runnable sendNow) {
    Envelope writtenDuring = CurrentMessage.get();
    Runnable send =
        writtenDuring == null
            ? sendNow
            : () ->
                CurrentMessage.runWith(
                    writtenDuring,
                    () -> {
                      sendNow.run();
                      return null;
                    });
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
