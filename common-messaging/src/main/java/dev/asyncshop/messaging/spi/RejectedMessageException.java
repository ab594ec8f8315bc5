package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.DeadLetterReason;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a consumer step when the message can never be handled as it is: the pipeline moves it
 * to its dead-letter destination with the reason, and the transport acknowledges it.
 */
public class RejectedMessageException extends RuntimeException {

  private final DeadLetterReason reason;
  private final @Nullable Throwable failure;

  /** Rejected because of another exception, which the dead letter then describes. */
  public RejectedMessageException(DeadLetterReason reason, Throwable failure) {
    super(reason + ": " + failure, failure);
    this.reason = reason;
    this.failure = failure;
  }

  /** Rejected for a reason this exception itself describes. */
  public RejectedMessageException(DeadLetterReason reason, String message) {
    this(reason, message, null);
  }

  protected RejectedMessageException(
      DeadLetterReason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.failure = null;
  }

  public DeadLetterReason reason() {
    return reason;
  }

  /** What the dead letter names as the failure: the exception given, or this one. */
  public Throwable failure() {
    return failure != null ? failure : this;
  }
}
