package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.spi.DeadLetter;

/**
 * A message the service's pipeline moved to its dead-letter destination, with why.
 *
 * @param message the message as it arrived
 * @param deadLetter the reason, the failure, the attempts and the dead-letter headers
 */
public record DeadLetteredMessage(InMemoryMessage message, DeadLetter deadLetter) {

  public DeadLetterReason reason() {
    return deadLetter.reason();
  }

  /** Handler runs before it was given up; 0 for a message that never reached its handler. */
  public int attempts() {
    return deadLetter.attempts();
  }

  public Throwable failure() {
    return deadLetter.failure();
  }

  public String type() {
    return message.type();
  }
}
