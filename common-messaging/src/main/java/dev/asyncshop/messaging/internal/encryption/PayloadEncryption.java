package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.encryption.MasterKeys.HeldKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption of one payload with the JDK's ciphers: a fresh random 256-bit data key and
 * 96-bit nonce encrypt the payload with AES-256-GCM; the master key wraps the data key with AES key
 * wrap (RFC 3394, the JDK's {@code AESWrap}).
 *
 * <p>Key wrap rather than GCM for the data key: it is made for wrapping keys, needs no nonce (so
 * there is no nonce to repeat and no limit of 2<sup>32</sup> random nonces per master key), and its
 * integrity check tells a changed wrapped key, or one wrapped under another secret, before the
 * payload is touched. A data key encrypts one payload only, so its single random nonce can never
 * repeat under it.
 *
 * <p>The GCM additional data binds the ciphertext to its message:
 *
 * <pre>
 * len(scheme) "asyncshop-aes256gcm-v1"  len(id) id  len(source) source  len(type) type
 * len(encryptionkeyid) encryptionkeyid
 * </pre>
 *
 * with 4-byte big-endian lengths and UTF-8 text, so a ciphertext moved into another message, or
 * relabelled with another type, does not decrypt, whether or not the message is signed.
 */
final class PayloadEncryption {

  /** An encrypted payload and the envelope that names its key, wrapped data key and nonce. */
  record Encrypted(Envelope envelope, byte[] ciphertext) {}

  /** The plaintext, or what is wrong; never both. */
  record Decrypted(@Nullable Envelope envelope, byte[] plaintext, @Nullable Failure failure) {

    static Decrypted failed(DecryptionProblem problem, String detail) {
      return new Decrypted(null, new byte[0], new Failure(problem, detail));
    }
  }

  /** What a decryption found wrong, in words fit for a log line: key ids, never keys. */
  record Failure(DecryptionProblem problem, String detail) {}

  static final String SCHEME = "asyncshop-aes256gcm-v1";

  private static final String PAYLOAD_CIPHER = "AES/GCM/NoPadding";
  private static final String WRAP_CIPHER = "AESWrap";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int WRAPPED_KEY_BYTES = MasterKeys.KEY_BYTES + 8;

  private final MasterKeys keys;
  private final SecureRandom random = new SecureRandom();

  PayloadEncryption(MasterKeys keys) {
    this.keys = keys;
  }

  /**
   * @throws IllegalStateException if no master key is active for the envelope's type
   */
  Encrypted encrypt(Envelope envelope, byte[] payload) {
    HeldKey master = keys.activeFor(envelope.type());
    if (master == null) {
      throw new IllegalStateException(
          "No master key is active for "
              + envelope.type()
              + ": set messaging.encryption.key or an active key of messaging.encryption.keys");
    }
    byte[] dataKey = new byte[MasterKeys.KEY_BYTES];
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(dataKey);
    random.nextBytes(nonce);
    try {
      Key data = new SecretKeySpec(dataKey, "AES");
      Cipher gcm = Cipher.getInstance(PAYLOAD_CIPHER);
      gcm.init(Cipher.ENCRYPT_MODE, data, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(associatedData(envelope, master.id()));
      byte[] ciphertext = gcm.doFinal(payload);
      Cipher wrap = Cipher.getInstance(WRAP_CIPHER);
      wrap.init(Cipher.WRAP_MODE, master.secret());
      byte[] wrapped = wrap.wrap(data);
      Base64.Encoder base64 = Base64.getEncoder();
      return new Encrypted(
          envelope
              .withExtension(EncryptionExtensions.KEY_ID, master.id())
              .withExtension(EncryptionExtensions.DATA_KEY, base64.encodeToString(wrapped))
              .withExtension(EncryptionExtensions.NONCE, base64.encodeToString(nonce)),
          ciphertext);
    } catch (GeneralSecurityException e) {
      // only a JDK without AES-GCM or key wrap gets here: nothing a retry would change
      throw new IllegalStateException("AES-256-GCM encryption failed: " + e, e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * The plaintext and the envelope without the wrapped data key and nonce (the key id stays, so
   * what follows can tell the payload travelled encrypted), or why it cannot be decrypted.
   */
  Decrypted decrypt(Envelope envelope, byte[] ciphertext) {
    String keyId = envelope.extension(EncryptionExtensions.KEY_ID);
    String wrappedText = envelope.extension(EncryptionExtensions.DATA_KEY);
    String nonceText = envelope.extension(EncryptionExtensions.NONCE);
    if (keyId == null || wrappedText == null || nonceText == null) {
      return Decrypted.failed(
          DecryptionProblem.INCOMPLETE,
          "the message lacks "
              + String.join(
                  " and ",
                  EncryptionExtensions.ALL.stream()
                      .filter(name -> envelope.extension(name) == null)
                      .toList()));
    }
    HeldKey master = keys.held(keyId, envelope.type());
    if (master == null) {
      return Decrypted.failed(
          DecryptionProblem.UNKNOWN_KEY,
          "master key '"
              + printable(keyId)
              + "' is not held here for "
              + envelope.type()
              + " (messaging.encryption)");
    }
    byte[] wrapped;
    byte[] nonce;
    try {
      wrapped = Base64.getDecoder().decode(wrappedText);
      nonce = Base64.getDecoder().decode(nonceText);
    } catch (IllegalArgumentException e) {
      return Decrypted.failed(
          DecryptionProblem.MALFORMED, "the wrapped data key or the nonce is not base64");
    }
    if (wrapped.length != WRAPPED_KEY_BYTES || nonce.length != NONCE_BYTES) {
      return Decrypted.failed(
          DecryptionProblem.MALFORMED,
          "the wrapped data key has %d bytes (not %d) and the nonce %d (not %d)"
              .formatted(wrapped.length, WRAPPED_KEY_BYTES, nonce.length, NONCE_BYTES));
    }
    Key data;
    try {
      Cipher unwrap = Cipher.getInstance(WRAP_CIPHER);
      unwrap.init(Cipher.UNWRAP_MODE, master.secret());
      data = unwrap.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    } catch (InvalidKeyException e) {
      return Decrypted.failed(
          DecryptionProblem.WRAPPED_KEY_INVALID,
          "the data key does not unwrap under master key '"
              + keyId
              + "': it was changed, or wrapped under another secret of that id");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES key unwrap failed: " + e, e);
    }
    try {
      Cipher gcm = Cipher.getInstance(PAYLOAD_CIPHER);
      gcm.init(Cipher.DECRYPT_MODE, data, new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(associatedData(envelope, keyId));
      byte[] plaintext = gcm.doFinal(ciphertext);
      return new Decrypted(
          envelope
              .withoutExtension(EncryptionExtensions.DATA_KEY)
              .withoutExtension(EncryptionExtensions.NONCE),
          plaintext,
          null);
    } catch (AEADBadTagException e) {
      return Decrypted.failed(
          DecryptionProblem.TAMPERED,
          "the payload does not decrypt under its data key: its ciphertext or nonce changed, or"
              + " it belongs to another message");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM decryption failed: " + e, e);
    }
  }

  /** Whether the envelope carries any of the encryption attributes. */
  static boolean isEncrypted(Envelope envelope) {
    for (String name : EncryptionExtensions.ALL) {
      if (envelope.extension(name) != null) {
        return true;
      }
    }
    return false;
  }

  static byte[] associatedData(Envelope envelope, String keyId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    for (String part :
        new String[] {SCHEME, envelope.id(), envelope.source(), envelope.type(), keyId}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** Text from a message that failed, cut short, for a log line. */
  private static String printable(String text) {
    String line = text.replaceAll("\\p{Cntrl}", "?");
    return line.length() > 64 ? line.substring(0, 64) + "…" : line;
  }
}
