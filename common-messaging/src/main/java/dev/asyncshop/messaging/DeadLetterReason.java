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
  NO_HANDLER,
  /**
   * The message's signature did not hold: unsigned, tampered with, signed by a key not accepted, or
   * sent by a service not allowed to send its type. Never retried; the dead letter's exception
   * message starts with the sub-reason ({@code tampered}, {@code unknown_key}, ...).
   */
  SIGNATURE_INVALID,
  /**
   * The message's route is encrypted and its payload could not be decrypted: it arrived in the
   * clear, lacks an encryption attribute, names a master key this service does not hold, or its
   * ciphertext, nonce or wrapped data key was changed. Never retried; the dead letter's exception
   * message starts with the sub-reason ({@code unencrypted}, {@code unknown_key}, ...) and names no
   * key.
   */
  DECRYPTION_FAILED,
  /**
   * An outbox row its broker kept refusing ({@code messaging.outbox.park-after} attempts while the
   * broker was reachable): parked instead of tried forever.
   */
  UNDELIVERABLE;

  /**
   * Whether the message was refused for security, not failed in handling: such dead letters are
   * kept apart, in the security dead letters ({@code <queue>.security.dlq}, {@code
   * <topic>.security.dlt}, the stream {@code <channel>.security.dlq}), to be looked into as an
   * incident rather than fixed and replayed.
   */
  public boolean isSecurity() {
    return this == SIGNATURE_INVALID || this == DECRYPTION_FAILED;
  }
}
