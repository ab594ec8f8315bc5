package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import org.junit.jupiter.api.Test;

class RecordOutcomeStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final RecordOutcomeStep step =
      new RecordOutcomeStep(fixtures.metrics, fixtures.audit, fixtures.clock);

  @Test
  void aHandledMessageIsCountedTimedAndAuditedWithItsAttempts() {
    ConsumerContext context = fixtures.readCommand("x");
    context.attemptStarted();
    context.attemptStarted();

    step.process(context, Next.returning(ConsumeResult.HANDLED));

    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "outcome", "handled")).isEqualTo(1.0);
    assertThat(fixtures.meters.get(MessagingMetrics.END_TO_END_LATENCY).timer().count())
        .isEqualTo(1);
    assertThat(fixtures.meters.get(MessagingMetrics.QUEUE_WAIT).timer().count()).isEqualTo(1);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.HANDLED);
    assertThat(fixtures.audited.get(0).attempt()).isEqualTo(2);
  }

  @Test
  void aDuplicateIsCountedAsSkippedAndAudited() {
    step.process(fixtures.readCommand("x"), Next.returning(ConsumeResult.DUPLICATE));

    assertThat(fixtures.count(MessagingMetrics.DUPLICATES_SKIPPED)).isEqualTo(1.0);
    assertThat(fixtures.count(MessagingMetrics.CONSUMED, "outcome", "duplicate")).isEqualTo(1.0);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.DUPLICATE_SKIPPED);
  }

  @Test
  void aFailureIsLeftToTheDeadLetterStep() {
    assertThatThrownBy(
            () ->
                step.process(
                    fixtures.readCommand("x"), Next.throwing(new IllegalStateException("down"))))
        .hasMessage("down");
    assertThat(fixtures.audited).isEmpty();
    // Only the time the message waited, which does not depend on how its handling ends.
    assertThat(fixtures.meters.getMeters())
        .extracting(meter -> meter.getId().getName())
        .containsExactly(MessagingMetrics.QUEUE_WAIT);
  }
}
