package dev.asyncshop.messaging.spi;

/**
 * A message could not be stored in its dead-letter destination. The transport must not acknowledge
 * it, so the broker delivers it again.
 */
public class DeadLetterFailedException extends RuntimeException {

  public DeadLetterFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
