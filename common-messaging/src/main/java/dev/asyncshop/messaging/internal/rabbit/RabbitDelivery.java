package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.internal.DeadLetterException;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Reply;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Address;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * A message taken from a queue; dead letters are republished, confirmed, to the queue's dead-letter
 * exchange, and a query's reply goes to its reply-to address.
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

  /**
   * Reply addresses differ per asker instance; each asking service's count as one destination, its
   * reply exchange, and direct reply-to addresses as another.
   */
  @Override
  public @Nullable String replyTo() {
    String replyTo = message.getMessageProperties().getReplyTo();
    if (replyTo == null || replyTo.isEmpty()) {
      return null;
    }
    if (replyTo.startsWith(DIRECT_REPLY_TO)) {
      return DIRECT_REPLY_TO;
    }
    Address address = new Address(replyTo);
    return address.getExchangeName().isEmpty() ? replyTo : address.getExchangeName();
  }

  /**
   * Sends the reply to the asker's address, {@code exchange/queue} (its reply exchange), or a bare
   * direct reply-to address of an asker of the previous version (through the default exchange,
   * which a broker user limited to its own resources may not write to), carrying the query's AMQP
   * correlation id, by which the asker's template matches it to the query. Not confirmed: the reply
   * queue exists only while its asker runs, so there is nothing to retry towards.
   */
  @Override
  public CompletableFuture<Void> reply(Reply reply) {
    MessageProperties query = message.getMessageProperties();
    Message answer = AmqpEnvelopeHeaders.toReply(reply);
    answer.getMessageProperties().setCorrelationId(query.getCorrelationId());
    try {
      Address address = new Address(query.getReplyTo());
      template.send(address.getExchangeName(), address.getRoutingKey(), answer);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
