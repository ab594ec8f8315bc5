package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.ActiveKey;
import java.util.List;
import java.util.Map;

/**
 * Encrypts one payload as the encrypting step does, under a master key given here. Public so that a
 * sender outside this library (a test, a tool) can send what a receiver decrypts.
 */
public final class PayloadEncryptions {

  /**
   * An encrypted payload and its envelope, which names the key, the wrapped data key and the nonce.
   */
  public record Encrypted(Envelope envelope, byte[] ciphertext) {}

  private PayloadEncryptions() {}

  /**
   * @param keyId the master key's id
   * @param secret its 32 bytes in base64
   */
  public static Encrypted encrypt(Envelope envelope, byte[] payload, String keyId, String secret) {
    PayloadEncryption encryption =
        new PayloadEncryption(
            MasterKeys.load(
                new EncryptionProperties(new ActiveKey(keyId, secret, null), Map.of()), List.of()));
    PayloadEncryption.Encrypted encrypted = encryption.encrypt(envelope, payload);
    return new Encrypted(encrypted.envelope(), encrypted.ciphertext());
  }
}
