package dev.asyncshop.messaging.internal.signing;

import java.util.Locale;

/**
 * Why a received message's signature does not hold: the sub-reason of {@link
 * dev.asyncshop.messaging.DeadLetterReason#SIGNATURE_INVALID}, and the {@code reason} tag of {@code
 * messaging.security.rejected}.
 */
public enum SignatureProblem {
  /** No signature, or no key id. */
  UNSIGNED,
  /** A signature that is not base64 of an Ed25519 signature. */
  MALFORMED,
  /** Signed with a key this service does not accept: never known, or removed. */
  UNKNOWN_KEY,
  /** Signed, by its signed time, after its key's {@code not-after}. */
  EXPIRED_KEY,
  /** The signature does not match: an attribute or a payload byte changed after signing. */
  TAMPERED,
  /** The key's owner is not the service the message names as its source. */
  SOURCE_MISMATCH,
  /** The sending service may not send this type (messaging.signing.allowed-senders). */
  SOURCE_NOT_ALLOWED;

  /** The name in metrics and dead letters: {@code unknown_key}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
