package dev.asyncshop.messaging.core;

import org.jspecify.annotations.Nullable;

/** What the pipeline did with a message; in every case the transport may acknowledge it. */
public sealed interface ConsumeResult {

  /** The handler ran; a query handler's reply is serialized, other handlers' is {@code null}. */
  record Handled(byte @Nullable [] reply) implements ConsumeResult {}

  /** The consumer group had already handled this message. */
  record Duplicate() implements ConsumeResult {}

  /** An event of a known type that this subscription does not handle. */
  record Ignored() implements ConsumeResult {}

  /** The message is safely in its dead-letter destination. */
  record DeadLettered(DeadLetter deadLetter) implements ConsumeResult {}
}
