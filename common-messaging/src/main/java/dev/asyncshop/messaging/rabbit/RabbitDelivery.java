package dev.asyncshop.messaging.rabbit;

import dev.asyncshop.messaging.core.DeadLetter;
import dev.asyncshop.messaging.core.DeadLetterException;
import dev.asyncshop.messaging.core.DecodedMessage;
import dev.asyncshop.messaging.core.InboundDelivery;
import org.springframework.amqp.core.Message;

/** A message taken from a queue; dead letters are republished, confirmed, to the DLX. */
final class RabbitDelivery implements InboundDelivery {

  private final Message message;
  private final DeadLetterRepublisher republisher;

  RabbitDelivery(Message message, DeadLetterRepublisher republisher) {
    this.message = message;
    this.republisher = republisher;
  }

  @Override
  public DecodedMessage decode() {
    return new DecodedMessage(
        AmqpEnvelopeHeaders.read(message.getMessageProperties()), message.getBody());
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    republisher.recover(message, new DeadLetterException(deadLetter));
  }
}
