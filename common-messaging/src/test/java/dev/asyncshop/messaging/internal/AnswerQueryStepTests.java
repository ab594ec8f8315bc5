package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnswerQueryStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final AnswerQueryStep step =
      new AnswerQueryStep(fixtures.envelopes, fixtures.dispatcher());

  private static FakeDelivery delivery(ConsumerContext context) {
    return (FakeDelivery) context.delivery();
  }

  @Test
  void theReplyGoesToTheAskerOnceTheQueryWasHandled() {
    ConsumerContext context = fixtures.readQuery("price?");
    Reply reply =
        new Reply(
            fixtures.envelopes.reply(context.envelope(), "fixture.query.reply.v1", Envelope.JSON),
            "{}".getBytes(StandardCharsets.UTF_8),
            null);

    step.process(
        context,
        c -> {
          c.reply(reply);
          return ConsumeResult.HANDLED;
        });

    assertThat(delivery(context).replies).containsExactly(reply);
    assertThat(fixtures.auditedOutcomes()).containsExactly(AuditOutcome.PUBLISHED);
    assertThat(fixtures.audited.get(0).kind()).isEqualTo(MessageKind.REPLY);
    assertThat(fixtures.audited.get(0).destination()).isEqualTo("fixture.queries");
    assertThat(
            fixtures.count(
                MessagingMetrics.PUBLISHED, "type", "fixture.query.reply.v1", "outcome", "success"))
        .isEqualTo(1.0);
  }

  @Test
  void aFailedQueryIsAnsweredWithItsFailureInAnEnvelope() {
    ConsumerContext context = fixtures.readQuery("price?");
    Instant now = fixtures.clock.instant();
    DeadLetter deadLetter =
        new DeadLetter(
            DeadLetterReason.NON_RETRYABLE,
            new IllegalArgumentException("no such country"),
            1,
            "fixture.queries",
            PipelineFixtures.SERVICE,
            now,
            now,
            context.envelope());

    step.process(context, Next.returning(new ConsumeResult.DeadLettered(deadLetter)));

    Reply reply = delivery(context).replies.get(0);
    assertThat(reply.failure()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(new String(reply.data(), StandardCharsets.UTF_8))
        .isEqualTo("NON_RETRYABLE: IllegalArgumentException: no such country");
    assertThat(reply.envelope().type()).isEqualTo("fixture.query.reply.v1");
    assertThat(reply.envelope().causationId()).isEqualTo(context.envelope().id());
    assertThat(reply.envelope().correlationId()).isEqualTo("flow-1");
    assertThat(reply.envelope().dataContentType()).isEqualTo("text/plain");
  }

  @Test
  void aQueryThatCannotBeReadIsStillAnsweredSoTheAskerNeedNotWaitForItsTimeout() {
    ConsumerContext context = fixtures.context(FakeDelivery.unreadable("asker"));
    Instant now = fixtures.clock.instant();
    DeadLetter deadLetter =
        new DeadLetter(
            DeadLetterReason.POISON,
            new IllegalStateException("unreadable"),
            0,
            "fixture.queries",
            PipelineFixtures.SERVICE,
            now,
            now,
            null);

    step.process(context, Next.returning(new ConsumeResult.DeadLettered(deadLetter)));

    Reply reply = delivery(context).replies.get(0);
    assertThat(reply.failure()).isEqualTo(DeadLetterReason.POISON);
    assertThat(reply.envelope().type()).isEqualTo(AnswerQueryStep.UNREADABLE_QUERY_REPLY_TYPE);
    assertThat(reply.envelope().causationId()).isNull();
  }

  @Test
  void aQueryOfATypeNobodyHereKnowsIsAnsweredUnderTheUnreadableReplyTypeNotOneMadeFromItsOwn() {
    ConsumerContext context =
        fixtures.context(
            FakeDelivery.query(fixtures.envelope("fixture.nobody-knows.v1"), "{\"question\":1}"));
    context.message(context.delivery().decode());
    Instant now = fixtures.clock.instant();
    DeadLetter deadLetter =
        new DeadLetter(
            DeadLetterReason.POISON,
            new IllegalStateException("unknown type"),
            0,
            "fixture.queries",
            PipelineFixtures.SERVICE,
            now,
            now,
            context.envelope());

    step.process(context, Next.returning(new ConsumeResult.DeadLettered(deadLetter)));

    Reply reply = delivery(context).replies.get(0);
    assertThat(reply.envelope().type()).isEqualTo(AnswerQueryStep.UNREADABLE_QUERY_REPLY_TYPE);
    assertThat(reply.envelope().causationId()).isEqualTo(context.envelope().id());
    assertThat(reply.envelope().correlationId()).isEqualTo("flow-1");
    assertThat(fixtures.audited.get(0).type())
        .isEqualTo(AnswerQueryStep.UNREADABLE_QUERY_REPLY_TYPE);
    assertThat(fixtures.count(MessagingMetrics.PUBLISHED, "type", "fixture.nobody-knows.reply.v1"))
        .isZero();
    assertThat(
            fixtures.count(
                MessagingMetrics.PUBLISHED, "type", AnswerQueryStep.UNREADABLE_QUERY_REPLY_TYPE))
        .isEqualTo(1.0);
  }

  @Test
  void nothingIsSentWhenNobodyWaitsOrTheMessageIsNoQuery() {
    ConsumerContext command = fixtures.readCommand("x");
    step.process(command, Next.returning(ConsumeResult.HANDLED));
    assertThat(delivery(command).replies).isEmpty();

    ConsumerContext queryWithoutAsker =
        fixtures.context(FakeDelivery.of(fixtures.envelope("fixture.query.v1"), "{}"));
    queryWithoutAsker.route(PipelineFixtures.QUERY);
    step.process(queryWithoutAsker, Next.returning(ConsumeResult.HANDLED));
    assertThat(delivery(queryWithoutAsker).replies).isEmpty();
  }
}
