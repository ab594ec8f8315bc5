package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.internal.PipelineFixtures.FixtureCommand;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import org.junit.jupiter.api.Test;

class ReadPayloadStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final ReadPayloadStep step = new ReadPayloadStep(fixtures.codec, 1024);

  private ConsumerContext found(FakeDelivery delivery) {
    ConsumerContext context = fixtures.context(delivery);
    context.message(delivery.decode());
    context.route(PipelineFixtures.COMMAND);
    context.handler(fixtures.handler);
    return context;
  }

  @Test
  void readsThePayloadIntoTheHandlersRecord() {
    ConsumerContext context = found(fixtures.command("hello"));

    step.process(context, Next.returning(ConsumeResult.HANDLED));

    assertThat(context.payload()).isEqualTo(new FixtureCommand("hello"));
  }

  @Test
  void aPayloadThatDoesNotBindIsPoisonAndTheRestNeverRuns() {
    ConsumerContext context =
        found(FakeDelivery.of(fixtures.envelope("fixture.command.v1"), "{not json"));
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThatThrownBy(() -> step.process(context, next))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageStartingWith("Payload is not a valid FixtureCommand");
    assertThat(next.calls).hasValue(0);
  }

  @Test
  void aPayloadOverTheLimitIsPoisonAndIsNeverParsed() {
    ConsumerContext context = found(fixtures.command("x".repeat(1024)));
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThatThrownBy(() -> step.process(context, next))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageMatching(
            "The payload of \\d+ bytes is over messaging.max-payload-size \\(1024 bytes\\)");
    assertThat(context.payload()).isNull();
    assertThat(next.calls).hasValue(0);
  }
}
