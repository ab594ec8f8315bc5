package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class SkipDuplicateStepTests {

  /** Remembers handled ids in memory, and forgets a run that failed. */
  static final class InMemoryStore implements IdempotencyStore {
    final Set<String> handled = ConcurrentHashMap.newKeySet();

    @Override
    public Outcome runOnce(String consumerGroup, String messageId, Runnable work) {
      String key = consumerGroup + ":" + messageId;
      if (handled.contains(key)) {
        return Outcome.DUPLICATE;
      }
      work.run();
      handled.add(key);
      return Outcome.HANDLED;
    }
  }

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final InMemoryStore store = new InMemoryStore();
  private final SkipDuplicateStep step = new SkipDuplicateStep(store);

  @Test
  void aMessageTheGroupAlreadyHandledSkipsTheRest() {
    ConsumerContext first = fixtures.readCommand("once");
    ConsumerContext again = fixtures.context((FakeDelivery) first.delivery());
    again.message(first.message());
    again.route(first.route());
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThat(step.process(first, next)).isSameAs(ConsumeResult.HANDLED);
    assertThat(step.process(again, next)).isSameAs(ConsumeResult.DUPLICATE);

    assertThat(next.calls).hasValue(1);
    assertThat(store.handled)
        .containsExactly(PipelineFixtures.SERVICE + ":" + first.envelope().id());
  }

  @Test
  void queriesAreAnsweredEveryTimeTheyAreAsked() {
    ConsumerContext query = fixtures.readQuery("price?");
    Next next = Next.returning(ConsumeResult.HANDLED);

    step.process(query, next);
    step.process(query, next);

    assertThat(next.calls).hasValue(2);
    assertThat(store.handled).isEmpty();
  }
}
