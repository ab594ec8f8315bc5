package dev.asyncshop.messaging.testkit;

import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class InMemoryOutboxTests {

  private final MessageGateway gateway = mock(MessageGateway.class);
  private final InMemoryOutbox outbox =
      new InMemoryOutbox(
          new StaticListableBeanFactory(java.util.Map.of("gateway", gateway))
              .getBeanProvider(MessageGateway.class));

  @Test
  void withoutATransactionItSendsAtOnce() {
    outbox.publish("event", MessageOptions.NONE);
    outbox.send("command", MessageOptions.NONE);

    then(gateway).should().publish("event", MessageOptions.NONE);
    then(gateway).should().send("command", MessageOptions.NONE);
  }

  @Test
  void inATransactionItSendsOnlyAfterCommit() {
    TransactionSynchronizationManager.initSynchronization();
    try {
      outbox.publish("event", MessageOptions.NONE);
      then(gateway).shouldHaveNoInteractions();

      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);

      then(gateway).should().publish("event", MessageOptions.NONE);
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
  }
}
