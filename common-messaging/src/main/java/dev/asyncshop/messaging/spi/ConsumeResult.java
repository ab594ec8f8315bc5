package dev.asyncshop.messaging.spi;

/** What the pipeline did with a message; in every case the transport may acknowledge it. */
public sealed interface ConsumeResult {

  /** The handler ran (and a query was answered). */
  record Handled() implements ConsumeResult {}

  /** The consumer group had already handled this message. */
  record Duplicate() implements ConsumeResult {}

  /** An event of a known type that this subscription does not handle. */
  record Ignored() implements ConsumeResult {}

  /** The message is safely in its dead-letter destination. */
  record DeadLettered(DeadLetter deadLetter) implements ConsumeResult {}

  /** The one {@link Handled}: it carries nothing, so every message shares it. */
  ConsumeResult HANDLED = new Handled();

  /** The one {@link Duplicate}. */
  ConsumeResult DUPLICATE = new Duplicate();

  /** The one {@link Ignored}. */
  ConsumeResult IGNORED = new Ignored();
}
