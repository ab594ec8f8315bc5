package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.DeadLetter;

/**
 * Carries a {@link DeadLetter} into the broker clients' own recoverers (spring-kafka's {@code
 * DeadLetterPublishingRecoverer}, Spring AMQP's {@code RepublishMessageRecoverer}), which take an
 * exception.
 */
public class DeadLetterException extends RuntimeException {

  private final transient DeadLetter deadLetter;

  public DeadLetterException(DeadLetter deadLetter) {
    super(deadLetter.describe(), deadLetter.failure());
    this.deadLetter = deadLetter;
  }

  public DeadLetter deadLetter() {
    return deadLetter;
  }
}
