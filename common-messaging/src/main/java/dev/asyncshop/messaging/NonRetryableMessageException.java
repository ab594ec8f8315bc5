package dev.asyncshop.messaging;

/**
 * Thrown by a handler when trying again cannot help (the message is invalid for the business, not
 * the infrastructure flaky): the message is dead-lettered at once, without retries.
 */
public class NonRetryableMessageException extends RuntimeException {

  public NonRetryableMessageException(String message) {
    super(message);
  }

  public NonRetryableMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
