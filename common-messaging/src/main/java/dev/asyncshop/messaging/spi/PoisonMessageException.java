package dev.asyncshop.messaging.spi;

/** A message that can never be handled as it is: unreadable, untyped or missing attributes. */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message) {
    super(message);
  }

  public PoisonMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
