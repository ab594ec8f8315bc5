package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.internal.DeadLetterException;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Reply;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A message taken from a queue; dead letters are republished, confirmed, to the DLX, and a query's
 * reply goes to its reply-to address.
 */
final class RabbitDelivery implements InboundDelivery {

  /** RabbitMQ's direct reply-to pseudo-queue; each asker's address adds a suffix of its own. */
  static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

  private final Message message;
  private final DeadLetterRepublisher republisher;
  private final DeadLetterRepublisher securityRepublisher;
  private final RabbitTemplate template;

  /**
   * @param republisher to {@code <queue>.dlq}
   * @param securityRepublisher to {@code <queue>.security.dlq}, for messages refused for security
   */
  RabbitDelivery(
      Message message,
      DeadLetterRepublisher republisher,
      DeadLetterRepublisher securityRepublisher,
      RabbitTemplate template) {
    this.message = message;
    this.republisher = republisher;
    this.securityRepublisher = securityRepublisher;
    this.template = template;
  }

  @Override
  public DecodedMessage decode() {
    return new DecodedMessage(
        AmqpEnvelopeHeaders.read(message.getMessageProperties()), message.getBody());
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    (deadLetter.reason().isSecurity() ? securityRepublisher : republisher)
        .recover(message, new DeadLetterException(deadLetter));
  }

  /** Direct reply-to addresses differ per asker's channel; they all count as one destination. */
  @Override
  public @Nullable String replyTo() {
    String replyTo = message.getMessageProperties().getReplyTo();
    if (replyTo == null || replyTo.isEmpty()) {
      return null;
    }
    return replyTo.startsWith(DIRECT_REPLY_TO) ? DIRECT_REPLY_TO : replyTo;
  }

  /**
   * Sends the reply through the default exchange to the asker's address, carrying the query's AMQP
   * correlation id, by which the asker's template matches it to the query. Not confirmed: a direct
   * reply-to address exists only while the asker waits, so there is nothing to retry towards.
   */
  @Override
  public CompletableFuture<Void> reply(Reply reply) {
    MessageProperties query = message.getMessageProperties();
    Message answer = AmqpEnvelopeHeaders.toReply(reply);
    answer.getMessageProperties().setCorrelationId(query.getCorrelationId());
    try {
      template.send("", query.getReplyTo(), answer);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
