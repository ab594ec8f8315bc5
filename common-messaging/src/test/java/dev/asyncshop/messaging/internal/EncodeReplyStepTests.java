package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.PipelineFixtures.FixtureAnswer;
import dev.asyncshop.messaging.internal.PipelineFixtures.Next;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EncodeReplyStepTests {

  private final PipelineFixtures fixtures = new PipelineFixtures();
  private final EncodeReplyStep step = new EncodeReplyStep(fixtures.codec, fixtures.envelopes);

  @Test
  void aQuerysResultBecomesItsReplyInAnEnvelopeOfItsOwn() {
    ConsumerContext context = fixtures.readQuery("price?");
    context.result(new FixtureAnswer("4.90"));

    step.process(context, Next.returning(ConsumeResult.HANDLED));

    Reply reply = context.reply();
    Envelope query = context.envelope();
    assertThat(new String(reply.data(), StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\"4.90\"}");
    assertThat(reply.failed()).isFalse();
    assertThat(reply.envelope().type()).isEqualTo("fixture.query.reply.v1");
    assertThat(reply.envelope().id()).isNotEqualTo(query.id());
    assertThat(reply.envelope().causationId()).isEqualTo(query.id());
    assertThat(reply.envelope().correlationId()).isEqualTo("flow-1");
    assertThat(reply.envelope().subject()).isEqualTo("order-1");
    assertThat(reply.envelope().source()).isEqualTo("/asyncshop/" + PipelineFixtures.SERVICE);
    assertThat(reply.envelope().dataContentType()).isEqualTo("application/json");
  }

  @Test
  void otherKindsHaveNoReply() {
    ConsumerContext context = fixtures.readCommand("x");

    step.process(context, Next.returning(ConsumeResult.HANDLED));

    assertThat(context.reply()).isNull();
  }

  @Test
  void aResultThatCannotBeWrittenFailsTheQueryWithoutRetries() {
    PayloadCodec broken =
        new PayloadCodec() {
          @Override
          public byte[] write(Object payload) {
            throw new IllegalArgumentException("no serializer");
          }

          @Override
          public <T> T read(byte[] data, Class<T> type) {
            throw new UnsupportedOperationException();
          }
        };
    ConsumerContext context = fixtures.readQuery("price?");
    context.result(new FixtureAnswer("4.90"));

    assertThatThrownBy(
            () ->
                new EncodeReplyStep(broken, fixtures.envelopes)
                    .process(context, Next.returning(ConsumeResult.HANDLED)))
        .isInstanceOfSatisfying(
            RejectedMessageException.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
              assertThat(rejected.failure())
                  .hasMessageContaining("cannot be written as JSON")
                  .hasRootCauseMessage("no serializer");
            });
  }
}
