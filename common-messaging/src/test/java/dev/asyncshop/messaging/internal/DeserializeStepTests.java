package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import org.junit.jupiter.api.Test;

class DeserializeStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final DeserializeStep step = new DeserializeStep(fixtures.routes);

  @Test
  void readsTheEnvelopeAndFindsTheRouteOfItsType() {
    ConsumerContext context = fixtures.context(fixtures.command("hello"));
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThat(step.process(context, next)).isSameAs(ConsumeResult.HANDLED);

    assertThat(context.envelope().type()).isEqualTo("fixture.command.v1");
    assertThat(context.route()).isEqualTo(PipelineFixtures.COMMAND);
    assertThat(next.calls).hasValue(1);
  }

  @Test
  void aTypeWithoutRouteIsPoisonAndKeepsItsEnvelopeForTheDeadLetter() {
    ConsumerContext context =
        fixtures.context(FakeDelivery.of(fixtures.envelope("nobody.knows.v1"), "{}"));
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThatThrownBy(() -> step.process(context, next))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessage("Unknown message type 'nobody.knows.v1': no route under messaging.routes");
    assertThat(context.envelope()).isNotNull();
    assertThat(context.route()).isNull();
    assertThat(next.calls).hasValue(0);
  }

  @Test
  void anUnreadableEnvelopeIsPoison() {
    ConsumerContext context = fixtures.context(FakeDelivery.unreadable(null));

    assertThatThrownBy(() -> step.process(context, Next.returning(ConsumeResult.HANDLED)))
        .isInstanceOf(PoisonMessageException.class);
    assertThat(context.envelope()).isNull();
  }
}
