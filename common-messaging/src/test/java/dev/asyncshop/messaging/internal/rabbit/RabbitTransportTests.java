package dev.asyncshop.messaging.internal.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

class RabbitTransportTests {

  private static final Route QUOTE =
      new Route(
          "shipping.quote.v1",
          MessageKind.QUERY,
          Transport.RABBITMQ,
          "shipping.quotes",
          null,
          Duration.ofSeconds(1));

  private final Envelope asked =
      new Envelope(
          "query-1",
          "/asyncshop/order-service",
          QUOTE.type(),
          Instant.parse("2026-12-01T10:00:00Z"),
          "order-1",
          Envelope.JSON,
          "flow-1",
          "cause-0",
          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
          "order-1");
  private final OutboundMessage query = new OutboundMessage(QUOTE, asked, new byte[0]);

  /** A reply as an answering service of the previous version sent it: no CloudEvents headers. */
  private static Message bareReply(String body) {
    MessageProperties properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
  }

  @Test
  void
      anAnswerWithoutEnvelopeFromAnAnswererOfThePreviousVersionIsTakenInAnEnvelopeMadeFromTheQuery() {
    Reply reply = RabbitTransport.replyOf(bareReply("{\"price\":7}"), query);

    assertThat(reply.failed()).isFalse();
    assertThat(new String(reply.data(), StandardCharsets.UTF_8)).isEqualTo("{\"price\":7}");
    Envelope envelope = reply.envelope();
    assertThat(envelope.type()).isEqualTo("shipping.quote.reply.v1");
    assertThat(envelope.causationId()).isEqualTo("query-1");
    assertThat(envelope.correlationId()).isEqualTo("flow-1");
    assertThat(envelope.subject()).isEqualTo("order-1");
    assertThat(envelope.traceparent()).isEqualTo(asked.traceparent());
    assertThat(envelope.dataContentType()).isEqualTo(Envelope.JSON);
    assertThat(envelope.id()).isNotBlank().isNotEqualTo("query-1");
  }

  @Test
  void aFailureWithoutEnvelopeStillFailsTheQueryWithTheHandlersReason() {
    Message failure = bareReply("NON_RETRYABLE: no such country");
    failure.getMessageProperties().setHeader(AmqpEnvelopeHeaders.REPLY_ERROR, "NON_RETRYABLE");

    assertThatThrownBy(() -> RabbitTransport.replyOf(failure, query))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("no such country");
  }

  @Test
  void anAnswerWhoseEnvelopeIsThereButBrokenIsNotTrusted() {
    Message broken = bareReply("{}");
    broken.getMessageProperties().setHeader(AmqpEnvelopeHeaders.PREFIX + "type", "x.reply.v1");

    assertThatThrownBy(() -> RabbitTransport.replyOf(broken, query))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void anAnswerInItsEnvelopeKeepsIt() {
    Envelope sent =
        new Envelope(
            "reply-1",
            "/asyncshop/shipping-service",
            "shipping.quote.reply.v1",
            Instant.parse("2026-12-01T10:00:01Z"),
            "order-1",
            Envelope.JSON,
            "flow-1",
            "query-1",
            null,
            null);
    Message message =
        AmqpEnvelopeHeaders.toReply(
            new Reply(sent, "{}".getBytes(StandardCharsets.UTF_8), (DeadLetterReason) null));

    assertThat(RabbitTransport.replyOf(message, query).envelope()).isEqualTo(sent);
  }
}
