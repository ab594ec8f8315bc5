package dev.asyncshop.messaging.test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Master keys made when a test runs, never stored: 32 random bytes in base64, and the {@code
 * messaging.encryption.*} properties that encrypt with one or hold one for decrypting.
 */
public final class TestEncryptionKeys {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One master key under its id. */
  public record TestMasterKey(String id, String secret) {

    /** Encrypts with this key (it is then also held for decrypting). */
    public void encryptWith(Map<String, Object> properties) {
      properties.put("messaging.encryption.key.id", id);
      properties.put("messaging.encryption.key.secret", secret);
    }

    /** Holds this key for decrypting. */
    public void hold(Map<String, Object> properties) {
      properties.put("messaging.encryption.keys." + id + ".secret", secret);
    }
  }

  private TestEncryptionKeys() {}

  public static TestMasterKey generate(String id) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new TestMasterKey(id, Base64.getEncoder().encodeToString(secret));
  }
}
