package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DeadLetterFailedException;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final DeadLetterStep step =
      new DeadLetterStep(fixtures.metrics, fixtures.audit, fixtures.clock);

  @Test
  void aRejectedMessageGoesToItsDeadLettersWithWhatTheContextKnows() {
    ConsumerContext context = fixtures.readCommand("failing");
    Instant first = Instant.parse("2026-12-01T09:59:58Z");
    Instant last = Instant.parse("2026-12-01T09:59:59Z");
    context.attemptStarted();
    context.attemptFailed(new IllegalStateException("first"), first);
    context.attemptStarted();
    IllegalStateException failure = new IllegalStateException("second");
    context.attemptFailed(failure, last);

    ConsumeResult result =
        step.process(
            context,
            Next.throwing(
                new RejectedMessageException(DeadLetterReason.RETRIES_EXHAUSTED, failure)));

    FakeDelivery delivery = (FakeDelivery) context.delivery();
    DeadLetter deadLetter = delivery.deadLetters.get(0);
    assertThat(result).isEqualTo(new ConsumeResult.DeadLettered(deadLetter));
    assertThat(deadLetter.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);
    assertThat(deadLetter.failure()).isSameAs(failure);
    assertThat(deadLetter.attempts()).isEqualTo(2);
    assertThat(deadLetter.firstFailure()).isEqualTo(first);
    assertThat(deadLetter.lastFailure()).isEqualTo(last);
    assertThat(deadLetter.destination()).isEqualTo(PipelineFixtures.QUEUE);
    assertThat(deadLetter.group()).isEqualTo(PipelineFixtures.SERVICE);
    assertThat(deadLetter.envelope()).isEqualTo(context.envelope());
    assertThat(deadLetter.headers())
        .containsEntry(DeadLetterHeaders.EXCEPTION_MESSAGE, "second")
        .containsEntry(DeadLetterHeaders.ATTEMPTS, "2");
    assertThat(
            fixtures.count(
                MessagingMetrics.DEAD_LETTERED,
                "reason",
                "RETRIES_EXHAUSTED",
                "type",
                "fixture.command.v1"))
        .isEqualTo(1.0);
    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "outcome", "dead_lettered"))
        .isEqualTo(1.0);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.DEAD_LETTERED);
    assertThat(fixtures.audited.get(0).attempt()).isEqualTo(2);
    assertThat(fixtures.audited.get(0).detail())
        .isEqualTo("RETRIES_EXHAUSTED: IllegalStateException: second");
  }

  @Test
  void anUnreadableMessageIsDeadLetteredAsPoisonAndCountedAsUnknown() {
    ConsumerContext context = fixtures.context(FakeDelivery.unreadable(null));

    ConsumeResult result =
        step.process(context, Next.throwing(new PoisonMessageException("no specversion")));

    DeadLetter deadLetter = ((ConsumeResult.DeadLettered) result).deadLetter();
    assertThat(deadLetter.reason()).isEqualTo(DeadLetterReason.POISON);
    assertThat(deadLetter.failure()).isInstanceOf(PoisonMessageException.class);
    assertThat(deadLetter.attempts()).isZero();
    assertThat(deadLetter.firstFailure()).isEqualTo(fixtures.clock.instant());
    assertThat(deadLetter.envelope()).isNull();
    assertThat(fixtures.count(MessagingMetrics.DEAD_LETTERED, "type", "unknown")).isEqualTo(1.0);
    assertThat(fixtures.audited.get(0).messageId()).isNull();
  }

  @Test
  void aDeadLetterTheBrokerDidNotTakeLeavesTheMessageUnacknowledged() {
    ConsumerContext context = fixtures.readCommand("x");
    ((FakeDelivery) context.delivery()).deadLetterDestinationDown = true;

    assertThatThrownBy(
            () ->
                step.process(
                    context, Next.throwing(new PoisonMessageException("Payload is not valid"))))
        .isInstanceOf(DeadLetterFailedException.class)
        .hasMessageContaining("POISON: PoisonMessageException: Payload is not valid");
    assertThat(fixtures.audited).isEmpty();
  }

  @Test
  void anyOtherFailurePassesOnSoTheBrokerDeliversTheMessageAgain() {
    ConsumerContext context = fixtures.readCommand("x");

    assertThatThrownBy(() -> step.process(context, Next.throwing(new IllegalStateException("x"))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(((FakeDelivery) context.delivery()).deadLetters).isEmpty();
  }
}
