package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.spi.CloudEventAttributes;
import java.util.List;

/**
 * The CloudEvents extensions an encrypted message carries; the signature covers them like every
 * other attribute.
 */
final class EncryptionExtensions {

  /** The id of the master key that wrapped the data key. */
  static final String KEY_ID = CloudEventAttributes.ENCRYPTIONKEYID;

  /** The message's data key, wrapped by the master key (AES key wrap, RFC 3394), base64. */
  static final String DATA_KEY = "encrypteddatakey";

  /** The 96-bit AES-GCM nonce of the payload, base64. */
  static final String NONCE = "encryptionnonce";

  static final List<String> ALL = List.of(KEY_ID, DATA_KEY, NONCE);

  private EncryptionExtensions() {}
}
