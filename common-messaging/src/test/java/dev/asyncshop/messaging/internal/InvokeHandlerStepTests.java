package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.internal.PipelineFixtures.FixtureAnswer;
import dev.asyncshop.messaging.internal.PipelineFixtures.FixtureCommand;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.CurrentMessage;
import org.junit.jupiter.api.Test;

class InvokeHandlerStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final InvokeHandlerStep step = new InvokeHandlerStep();

  @Test
  void runsTheHandlerWithTheMessageRecordAndLeavesTheCurrentMessageToTheRetries() {
    ConsumerContext context = fixtures.readCommand("hello");

    assertThat(step.process(context, Next.returning(ConsumeResult.HANDLED)))
        .isSameAs(ConsumeResult.HANDLED);

    assertThat(fixtures.handler.handled).containsExactly(new FixtureCommand("hello"));
    assertThat(fixtures.handler.currentMessages).containsOnlyNulls();
  }

  @Test
  void keepsWhatAQueryHandlerReturned() {
    fixtures.queryHandler.answer = new FixtureAnswer("yes");
    ConsumerContext context = fixtures.readQuery("really?");

    step.process(context, Next.returning(ConsumeResult.HANDLED));

    assertThat(context.result()).isEqualTo(new FixtureAnswer("yes"));
  }

  @Test
  void theHandlersExceptionPassesUnchanged() {
    fixtures.handler.reject = true;

    assertThatThrownBy(
            () -> step.process(fixtures.readCommand("x"), Next.returning(ConsumeResult.HANDLED)))
        .isInstanceOf(NonRetryableMessageException.class);
    assertThat(CurrentMessage.get()).isNull();
  }
}
