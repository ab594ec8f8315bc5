package dev.asyncshop.messaging.test;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

/**
 * Ed25519 key pairs made when a test runs, never stored: the PEM text and the {@code
 * messaging.signing.*} properties that sign with a key or accept one.
 */
public final class TestSigningKeys {

  /** One key pair under its id, owned by a service. */
  public record TestKey(String id, String owner, String privatePem, String publicPem) {

    /** Signs with this key. */
    public void signWith(Map<String, Object> properties) {
      properties.put("messaging.signing.key.id", id);
      properties.put("messaging.signing.key.private-key", privatePem);
    }

    /** Accepts this key's signatures. */
    public void accept(Map<String, Object> properties) {
      properties.put("messaging.signing.keys." + id + ".owner", owner);
      properties.put("messaging.signing.keys." + id + ".public-key", publicPem);
    }
  }

  private TestSigningKeys() {}

  public static TestKey generate(String id, String owner) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new TestKey(
          id,
          owner,
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }
}
