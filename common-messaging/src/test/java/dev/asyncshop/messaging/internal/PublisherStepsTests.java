package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The publisher's steps, around a send that succeeds, fails, or throws. */
class PublisherStepsTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final PublisherSteps steps =
      new PublisherSteps(
          List.of(new AuditPublishedStep(fixtures.audit), new CountPublishedStep(fixtures.metrics)),
          List.of());
  private final OutboundMessage command =
      new OutboundMessage(
          PipelineFixtures.COMMAND,
          fixtures.envelopes.create("fixture.command.v1", MessageOptions.NONE),
          new byte[0]);

  @Test
  void aSendTheBrokerTookIsCountedAndAuditedAsPublished() {
    steps.around(message -> CompletableFuture.completedFuture(null)).publish(command).join();

    assertThat(
            fixtures.count(
                MessagingMetrics.PUBLISHED,
                "transport",
                "rabbitmq",
                "destination",
                PipelineFixtures.QUEUE,
                "type",
                "fixture.command.v1",
                "outcome",
                "success"))
        .isEqualTo(1.0);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.PUBLISHED);
    assertThat(fixtures.audited.get(0).messageId()).isEqualTo(command.envelope().id());
  }

  @Test
  void aSendThatFailsOrThrowsIsCountedAndAuditedAsFailedWithTheReason() {
    CompletableFuture<Void> refused =
        steps
            .around(
                message -> CompletableFuture.failedFuture(new MessagePublishException("refused")))
            .publish(command);
    CompletableFuture<Void> thrown =
        steps
            .around(
                message -> {
                  throw new IllegalStateException("no connection");
                })
            .publish(command);

    assertThat(refused).isCompletedExceptionally();
    assertThat(thrown).isCompletedExceptionally();
    assertThat(fixtures.count(MessagingMetrics.PUBLISHED, "outcome", "failure")).isEqualTo(2.0);
    assertThat(fixtures.auditedOutcomes())
        .containsExactly(AuditOutcome.PUBLISH_FAILED, AuditOutcome.PUBLISH_FAILED);
    assertThat(fixtures.audited.get(0).detail()).contains("refused");
    assertThat(fixtures.audited.get(1).detail()).contains("no connection");
  }

  @Test
  void anApplicationsStepRunsInItsPlaceAndMayReplaceTheMessage() {
    List<String> seen = new ArrayList<>();
    class Signing implements PublisherStep {
      @Override
      public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
        seen.add("sign, after " + fixtures.auditedOutcomes().size() + " audit records");
        return next.publish(
            new OutboundMessage(message.route(), message.envelope(), "signed".getBytes()));
      }

      @Override
      public int getOrder() {
        return PublisherStepOrder.SIGN;
      }
    }
    PublisherStep signing = new Signing();
    PublisherSteps withSigning =
        new PublisherSteps(
            List.of(
                new AuditPublishedStep(fixtures.audit), new CountPublishedStep(fixtures.metrics)),
            List.of(signing));

    withSigning
        .around(
            message -> {
              seen.add("send " + new String(message.data()));
              return CompletableFuture.completedFuture(null);
            })
        .publish(command)
        .join();

    assertThat(withSigning.steps())
        .extracting(step -> step.getClass().getSimpleName())
        .containsExactly("AuditPublishedStep", "CountPublishedStep", "Signing");
    assertThat(seen).containsExactly("sign, after 0 audit records", "send signed");
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.PUBLISHED);
  }
}
