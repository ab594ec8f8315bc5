package dev.asyncshop.messaging;

/** Why a message went to its dead-letter destination. */
public enum DeadLetterReason {
  /** The handler kept failing with a retryable exception until the route's retries ran out. */
  RETRIES_EXHAUSTED,
  /** The handler failed with an exception that retrying cannot fix. */
  NON_RETRYABLE,
  /** The message could not be read: bad JSON, an unknown type, or a missing attribute. */
  POISON,
  /** A command or query arrived that no handler in this service takes. */
  NO_HANDLER
}
