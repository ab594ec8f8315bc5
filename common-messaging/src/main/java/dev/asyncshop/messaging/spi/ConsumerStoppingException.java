package dev.asyncshop.messaging.spi;

/**
 * The consumer was interrupted between two runs of a failing handler, normally because it is
 * shutting down. The message is neither handled nor dead-lettered, so the transport must leave it
 * for the broker to deliver again.
 */
public class ConsumerStoppingException extends RuntimeException {

  public ConsumerStoppingException(String messageId, Throwable cause) {
    super("Consumer stopped while retrying message " + messageId, cause);
  }
}
