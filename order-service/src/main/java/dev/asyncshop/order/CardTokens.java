package dev.asyncshop.order;

import dev.asyncshop.order.CardTokenSettings.Key;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Encrypts card tokens for the {@code card_token} column and reads them back, with the JDK's
 * AES-256-GCM. A stored token is {@code enc:v1:<key id>:<base64 of nonce and ciphertext>}: the key
 * id lets rows written before a rotation be read after it, as long as their key is still under
 * {@code order.card-tokens.keys}. The order id is the additional data, so a token copied into
 * another order's row does not decrypt.
 *
 * <p>A value without the prefix was stored in the clear before tokens were encrypted; it is read as
 * it is, and {@link #encryptClearRows} encrypts any such rows when the service starts.
 */
@Component
public class CardTokens {

  static final String PREFIX = "enc:v1:";

  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String CIPHER = "AES/GCM/NoPadding";
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final String activeId;
  private final SecretKey active;
  private final Map<String, SecretKey> keys;
  private final SecureRandom random = new SecureRandom();

  /**
   * @throws IllegalStateException at start-up, if the active key is missing or any key is unusable
   */
  public CardTokens(CardTokenSettings settings) {
    Map<String, SecretKey> loaded = new LinkedHashMap<>();
    settings
        .keys()
        .forEach((id, key) -> loaded.put(id, secret("order.card-tokens.keys." + id, id, key)));
    Key key = settings.key();
    if (key.id() == null) {
      throw new IllegalStateException(
          "order.card-tokens.key.id is not set, so card tokens cannot be stored encrypted. Set"
              + " order.card-tokens.key.id and order.card-tokens.key.secret-file (CARDS_KEY_ID and"
              + " CARDS_KEY_FILE: a mounted secret of 32 random bytes in base64, `openssl rand"
              + " -base64 32`); ./asyncshop up makes one for the local run.");
    }
    SecretKey secret =
        key.secret() == null && key.secretFile() == null && loaded.containsKey(key.id())
            ? loaded.get(key.id())
            : secret("order.card-tokens.key", key.id(), key);
    loaded.put(key.id(), secret);
    this.activeId = key.id();
    this.active = secret;
    this.keys = Map.copyOf(loaded);
  }

  /** The token as the column stores it. */
  public @Nullable String encrypt(UUID orderId, @Nullable String token) {
    if (token == null) {
      return null;
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher gcm = Cipher.getInstance(CIPHER);
      gcm.init(Cipher.ENCRYPT_MODE, active, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(associatedData(orderId, activeId));
      byte[] ciphertext = gcm.doFinal(token.getBytes(StandardCharsets.UTF_8));
      byte[] stored =
          ByteBuffer.allocate(nonce.length + ciphertext.length).put(nonce).put(ciphertext).array();
      return PREFIX + activeId + ":" + Base64.getEncoder().encodeToString(stored);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM encryption failed: " + e, e);
    }
  }

  /**
   * The token a column value holds.
   *
   * @throws IllegalStateException if its key is no longer held, or the value was changed or moved
   *     from another order; the message names the key id, never a key or the value
   */
  public @Nullable String decrypt(UUID orderId, @Nullable String stored) {
    if (stored == null || !isEncrypted(stored)) {
      return stored;
    }
    int separator = stored.indexOf(':', PREFIX.length());
    if (separator < 0) {
      throw new IllegalStateException("The card token of order " + orderId + " names no key");
    }
    String keyId = stored.substring(PREFIX.length(), separator);
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalStateException(
          ("The card token of order %s is encrypted under key '%s', which is not under"
                  + " order.card-tokens; keep a key until no stored token names it.")
              .formatted(orderId, keyId));
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(stored.substring(separator + 1));
      Cipher gcm = Cipher.getInstance(CIPHER);
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      gcm.updateAAD(associatedData(orderId, keyId));
      byte[] token = gcm.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(token, StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "The card token of order " + orderId + " does not decrypt: changed, or another order's");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM decryption failed: " + e, e);
    }
  }

  static boolean isEncrypted(String stored) {
    return stored.startsWith(PREFIX);
  }

  private static byte[] associatedData(UUID orderId, String keyId) {
    return ("asyncshop-card-token-v1:" + orderId + ":" + keyId).getBytes(StandardCharsets.UTF_8);
  }

  private static SecretKey secret(String setting, String id, Key key) {
    if (!KEY_ID.matcher(id).matches()) {
      throw new IllegalStateException(
          ("%s: '%s' is not a key id. Use 1 to 64 letters, digits, '_' or '-' (lower case if it"
                  + " is set from the environment), such as cards2.")
              .formatted(setting, id));
    }
    if ((key.secret() == null) == (key.secretFile() == null)) {
      throw new IllegalStateException(
          ("%s needs exactly one of secret (the base64 text) and secret-file (the path of a"
                  + " mounted secret); it has %s.")
              .formatted(setting, key.secret() == null ? "neither" : "both"));
    }
    String text = key.secret();
    if (key.secretFile() != null) {
      try {
        text = Files.readString(Path.of(key.secretFile()), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException(
            "%s.secret-file '%s' cannot be read: %s. Mount the secret there or correct the path."
                .formatted(setting, key.secretFile(), e.getClass().getSimpleName()),
            e);
      }
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          setting + " is not base64. Make a key with `openssl rand -base64 32`.");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException(
          "%s is %d bytes, not %d. Make a key with `openssl rand -base64 32`."
              .formatted(setting, bytes.length, KEY_BYTES));
    }
    return new SecretKeySpec(bytes, "AES");
  }
}
