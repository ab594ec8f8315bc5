package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import org.junit.jupiter.api.Test;

class AuditReceivedStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();

  @Test
  void writesTheReceivedRecordBeforeTheRestRuns() {
    ConsumerContext context = fixtures.readCommand("hello");
    ConsumeResult result =
        new AuditReceivedStep(fixtures.audit)
            .process(
                context,
                c -> {
                  assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.RECEIVED);
                  return ConsumeResult.HANDLED;
                });

    assertThat(result).isSameAs(ConsumeResult.HANDLED);
    AuditRecord received = fixtures.audited.get(0);
    assertThat(received.messageId()).isEqualTo(context.envelope().id());
    assertThat(received.type()).isEqualTo("fixture.command.v1");
    assertThat(received.kind()).isEqualTo(MessageKind.COMMAND);
    assertThat(received.transport()).isEqualTo("rabbitmq");
    assertThat(received.destination()).isEqualTo(PipelineFixtures.QUEUE);
    assertThat(received.correlationId()).isEqualTo("flow-1");
    assertThat(received.service()).isEqualTo(PipelineFixtures.SERVICE);
    assertThat(received.attempt()).isZero();
  }

  @Test
  void passesOnWhatTheRestReturns() {
    assertThat(
            new AuditReceivedStep(fixtures.audit)
                .process(fixtures.readCommand("x"), Next.returning(ConsumeResult.DUPLICATE)))
        .isSameAs(ConsumeResult.DUPLICATE);
  }
}
