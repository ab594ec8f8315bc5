package dev.asyncshop.messaging;

/** The broker did not take a message: it was unroutable, refused, or not confirmed in time. */
public class MessagePublishException extends RuntimeException {

  public MessagePublishException(String message) {
    super(message);
  }

  public MessagePublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
