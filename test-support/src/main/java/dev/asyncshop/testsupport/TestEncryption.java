package dev.asyncshop.testsupport;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys made once per test JVM and never stored: one master key for every encrypted route ({@code
 * messaging.encryption}) and one for stored card tokens ({@code order.card-tokens}). Every service
 * of a test run holds the same, so what one encrypts the next decrypts.
 */
public final class TestEncryption {

  private static final String MASTER_KEY = random();
  private static final String CARD_TOKEN_KEY = random();

  private TestEncryption() {}

  /** The id of the master key every encrypted route of the run is encrypted under. */
  public static String masterKeyId() {
    return "test1";
  }

  /** Its secret, in base64, for a test that encrypts a message by hand. */
  public static String masterKey() {
    return MASTER_KEY;
  }

  /** The properties that give a service both keys. */
  public static Map<String, String> springProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("messaging.encryption.key.id", "test1");
    properties.put("messaging.encryption.key.secret", MASTER_KEY);
    properties.put("order.card-tokens.key.id", "cardstest1");
    properties.put("order.card-tokens.key.secret", CARD_TOKEN_KEY);
    return properties;
  }

  private static String random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
