package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.DeadLetterReason;

/**
 * A message that can never be handled as it is: unreadable, untyped or missing attributes. It goes
 * to the dead letters at once, without retries.
 */
public class PoisonMessageException extends RejectedMessageException {

  public PoisonMessageException(String message) {
    super(DeadLetterReason.POISON, message, null);
  }

  public PoisonMessageException(String message, Throwable cause) {
    super(DeadLetterReason.POISON, message, cause);
  }
}
