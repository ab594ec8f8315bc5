package dev.asyncshop.messaging.internal.encryption;

import java.util.Locale;

/**
 * Why a received message could not be decrypted: the sub-reason of {@link
 * dev.asyncshop.messaging.DeadLetterReason#DECRYPTION_FAILED}, and the {@code reason} tag of {@code
 * messaging.security.decryption.failed}.
 */
public enum DecryptionProblem {
  /** The route is encrypted but the message arrived in the clear. */
  UNENCRYPTED,
  /** Some of the encryption attributes are there, not all. */
  INCOMPLETE,
  /** An attribute is not base64, or not of its length. */
  MALFORMED,
  /** The master key it names is not held here, or not for this type: never known, or removed. */
  UNKNOWN_KEY,
  /** The wrapped data key does not unwrap under the named master key: changed, or another key's. */
  WRAPPED_KEY_INVALID,
  /**
   * The payload does not decrypt: its ciphertext or nonce changed, or it was moved from another
   * message (the id, source and type are bound to it).
   */
  TAMPERED;

  /** The name in metrics and dead letters: {@code unknown_key}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
