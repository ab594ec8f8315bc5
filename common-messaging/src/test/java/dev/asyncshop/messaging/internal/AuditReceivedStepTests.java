package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AuditReceivedStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();

  @Test
  void aMessageHandledAtItsFirstAttemptHasItsHandledRecordAlone() {
    ConsumeResult result =
        new AuditReceivedStep(fixtures.audit)
            .process(fixtures.readCommand("hello"), ending(AuditOutcome.HANDLED));

    assertThat(result).isSameAs(ConsumeResult.HANDLED);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.HANDLED);
  }

  @Test
  void aDuplicateSkippedAtItsFirstAttemptHasThatRecordAlone() {
    new AuditReceivedStep(fixtures.audit)
        .process(fixtures.readCommand("again"), ending(AuditOutcome.DUPLICATE_SKIPPED));

    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.DUPLICATE_SKIPPED);
  }

  @Test
  void aRetriedMessageHasItsReceiptBeforeItsRetries() {
    ConsumerContext context = fixtures.readCommand("flaky");
    fixtures.handler.failuresBeforeSuccess = 1;
    RecordOutcomeStep outcome =
        new RecordOutcomeStep(fixtures.metrics, fixtures.audit, fixtures.clock);
    RetryStep retry =
        new RetryStep(fixtures.retries, fixtures.metrics, fixtures.audit, fixtures.clock);
    InvokeHandlerStep handler = new InvokeHandlerStep();
    new AuditReceivedStep(fixtures.audit)
        .process(
            context,
            c ->
                outcome.process(
                    c, o -> retry.process(o, r -> handler.process(r, h -> ConsumeResult.HANDLED))));

    assertThat(fixtures.auditedOutcomes())
        .containsExactly(AuditOutcome.RECEIVED, AuditOutcome.RETRIED, AuditOutcome.HANDLED);
    AuditRecord received = fixtures.audited.get(0);
    assertThat(received.messageId()).isEqualTo(context.envelope().id());
    assertThat(received.type()).isEqualTo("fixture.command.v1");
    assertThat(received.kind()).isEqualTo(MessageKind.COMMAND);
    assertThat(received.transport()).isEqualTo("rabbitmq");
    assertThat(received.destination()).isEqualTo(PipelineFixtures.QUEUE);
    assertThat(received.correlationId()).isEqualTo("flow-1");
    assertThat(received.service()).isEqualTo(PipelineFixtures.SERVICE);
    assertThat(received.attempt()).isZero();
    assertThat(received.time()).isEqualTo(context.received());
  }

  @Test
  void aMessageWhoseHandlingEndsWithoutARecordHasItsReceipt() {
    new AuditReceivedStep(fixtures.audit)
        .process(fixtures.readCommand("given back"), Next.returning(ConsumeResult.HANDLED));

    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.RECEIVED);
  }

  @Test
  void aMessageOnItsWayToTheDeadLettersHasItsReceiptBeforeThem() {
    IllegalStateException poison = new IllegalStateException("poison");

    assertThatThrownBy(
            () ->
                new AuditReceivedStep(fixtures.audit)
                    .process(fixtures.readCommand("poison"), Next.throwing(poison)))
        .isSameAs(poison);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.RECEIVED);
  }

  @Test
  void passesOnWhatTheRestReturns() {
    assertThat(
            new AuditReceivedStep(fixtures.audit)
                .process(fixtures.readCommand("x"), Next.returning(ConsumeResult.DUPLICATE)))
        .isSameAs(ConsumeResult.DUPLICATE);
  }

  /** The rest of the pipeline, ending the first attempt with the given record. */
  private ConsumerStep.Chain ending(AuditOutcome outcome) {
    return context -> {
      fixtures.audit.record(context, outcome, 1, Duration.ofMillis(4), null);
      return outcome == AuditOutcome.HANDLED ? ConsumeResult.HANDLED : ConsumeResult.DUPLICATE;
    };
  }
}
