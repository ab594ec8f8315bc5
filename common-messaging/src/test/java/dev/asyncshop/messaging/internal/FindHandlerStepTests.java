package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import org.junit.jupiter.api.Test;

class FindHandlerStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final FindHandlerStep step = new FindHandlerStep(fixtures.metrics);

  @Test
  void putsTheHandlerOfTheTypeInTheContext() {
    ConsumerContext context = fixtures.context(fixtures.command("x"));
    context.message(context.delivery().decode());
    context.route(PipelineFixtures.COMMAND);

    assertThat(step.process(context, Next.returning(ConsumeResult.HANDLED)))
        .isSameAs(ConsumeResult.HANDLED);
    assertThat(context.handler()).isSameAs(fixtures.handler);
  }

  @Test
  void anEventNobodyHereHandlesIsIgnoredAndCounted() {
    ConsumerContext context = fixtures.context(fixtures.command("x"));
    context.route(PipelineFixtures.EVENT);
    Next next = Next.returning(ConsumeResult.HANDLED);

    assertThat(step.process(context, next)).isSameAs(ConsumeResult.IGNORED);
    assertThat(next.calls).hasValue(0);
    assertThat(
            fixtures.count(
                MessagingMetrics.CONSUMED, "type", "fixture.event.v1", "outcome", "ignored"))
        .isEqualTo(1.0);
  }

  @Test
  void aCommandNobodyHereHandlesIsRejected() {
    PipelineFixtures other = new PipelineFixtures();
    ConsumerContext context =
        new ConsumerContext(
            new dev.asyncshop.messaging.spi.Subscription(
                other.subscription.transport(), "q", "group-without-handlers", java.util.Map.of()),
            fixtures.command("x"),
            fixtures.clock.instant());
    context.route(PipelineFixtures.COMMAND);

    assertThatThrownBy(() -> step.process(context, Next.returning(ConsumeResult.HANDLED)))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(DeadLetterReason.NO_HANDLER);
              assertThat(rejected.failure())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("No handler for fixture.command.v1 in group group-without-handlers");
            });
  }
}
