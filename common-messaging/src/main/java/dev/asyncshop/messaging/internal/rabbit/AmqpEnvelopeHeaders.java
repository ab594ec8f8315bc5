package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.Reply;
import java.util.Date;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * The CloudEvents AMQP protocol binding, binary mode: each attribute is an application property
 * (header) named {@code cloudEvents_<attribute>}, except the content type, which is the message's
 * content-type property. The message id and type properties repeat the envelope's for tools that
 * only show those.
 */
final class AmqpEnvelopeHeaders {

  static final String PREFIX = "cloudEvents_";

  /**
   * Set on a query's reply when the query failed, with the {@link DeadLetterReason}; the body is
   * then the failure's description.
   */
  static final String REPLY_ERROR = "messaging-error";

  private AmqpEnvelopeHeaders() {}

  static Message toMessage(Envelope envelope, byte[] data) {
    MessageProperties properties = new MessageProperties();
    properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    properties.setContentType(envelope.dataContentType());
    properties.setMessageId(envelope.id());
    properties.setType(envelope.type());
    properties.setTimestamp(Date.from(envelope.time()));
    for (Map.Entry<String, String> attribute : CloudEventAttributes.of(envelope).entrySet()) {
      if (!attribute.getKey().equals(CloudEventAttributes.DATACONTENTTYPE)) {
        properties.setHeader(PREFIX + attribute.getKey(), attribute.getValue());
      }
    }
    return new Message(data, properties);
  }

  /** A reply, in the envelope like any message, marked with {@link #REPLY_ERROR} if it failed. */
  static Message toReply(Reply reply) {
    Message message = toMessage(reply.envelope(), reply.data());
    if (reply.failure() != null) {
      message.getMessageProperties().setHeader(REPLY_ERROR, reply.failure().name());
    }
    return message;
  }

  /** The reason a failed query's reply gives, or {@code null} for an answer. */
  static @Nullable DeadLetterReason replyFailure(MessageProperties properties) {
    Object error = properties.getHeader(REPLY_ERROR);
    if (error == null) {
      return null;
    }
    try {
      return DeadLetterReason.valueOf(error.toString());
    } catch (IllegalArgumentException unknown) {
      return DeadLetterReason.NON_RETRYABLE;
    }
  }

  /** Whether the message carries any CloudEvents attribute at all, readable or not. */
  static boolean hasEnvelope(MessageProperties properties) {
    return properties.getHeaders().keySet().stream().anyMatch(name -> name.startsWith(PREFIX));
  }

  /**
   * @throws dev.asyncshop.messaging.spi.PoisonMessageException if required headers are missing
   */
  static Envelope read(MessageProperties properties) {
    return CloudEventAttributes.toEnvelope(
        name -> {
          if (name.equals(CloudEventAttributes.DATACONTENTTYPE)) {
            return properties.getContentType();
          }
          Object value = properties.getHeader(PREFIX + name);
          return value == null ? null : value.toString();
        },
        properties.getHeaders().keySet().stream()
            .filter(name -> name.startsWith(PREFIX))
            .map(name -> name.substring(PREFIX.length()))
            .toList());
  }
}
