package dev.asyncshop.messaging.internal.signing;

/** The CloudEvents extensions a signed message carries. */
final class SignatureExtensions {

  /** The Ed25519 signature over the {@link CanonicalForm}, base64. */
  static final String SIGNATURE = "signature";

  /** The id of the key that made it; covered by the signature. */
  static final String KEY_ID = "signaturekeyid";

  private SignatureExtensions() {}
}
