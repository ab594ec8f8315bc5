package dev.asyncshop.messaging.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.spi.CurrentMessage;
import java.time.Instant;
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

  @Test
  void aMessageSentAfterCommitIsSentAsTheMessageHandledWhenItWasWritten() {
    Envelope handled =
        new Envelope(
            "m-1",
            "other-service",
            "other.happened.v1",
            Instant.EPOCH,
            null,
            "application/json",
            "c-1",
            null,
            null,
            null);
    Envelope[] current = new Envelope[1];
    willAnswer(invocation -> current[0] = CurrentMessage.get())
        .given(gateway)
        .publish("event", MessageOptions.NONE);
    TransactionSynchronizationManager.initSynchronization();
    try {
      CurrentMessage.runWith(
          handled,
          () -> {
            outbox.publish("event", MessageOptions.NONE);
            return null;
          });

      TransactionSynchronizationManager.getSynchronizations()
          .forEach(TransactionSynchronization::afterCommit);

      assertThat(current[0]).isSameAs(handled);
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }
  }
}
