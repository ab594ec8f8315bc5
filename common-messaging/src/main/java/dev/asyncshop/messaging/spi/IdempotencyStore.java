package dev.asyncshop.messaging.spi;

/**
 * Remembers which messages a consumer group has handled, so a redelivered or replayed message runs
 * its handler once. Keys are the consumer group and the message id.
 */
public interface IdempotencyStore {

  /** What {@link #runOnce} did. */
  enum Outcome {
    /** The work ran and its result is recorded. */
    HANDLED,
    /** The group had already handled this message; the work did not run. */
    DUPLICATE
  }

  /**
   * Runs the work unless the group already handled the message. If the work throws, nothing is
   * recorded and the exception propagates, so a retry can run it again.
   *
   * @throws MessageInProgressException if another consumer of the same group is handling the same
   *     message right now; the caller should try again later
   */
  Outcome runOnce(String consumerGroup, String messageId, Runnable work);

  /** Another consumer of the same group holds the message; retrying later resolves it. */
  class MessageInProgressException extends RuntimeException {

    public MessageInProgressException(String consumerGroup, String messageId) {
      super(
          "Message "
              + messageId
              + " is being handled by another consumer of group "
              + consumerGroup);
    }
  }

  /**
   * The store could not be reached, so it is unknown whether the message was handled. The message
   * is neither handled nor dead-lettered; the broker delivers it again later.
   */
  class StoreUnavailableException extends DependencyUnavailableException {

    public StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
