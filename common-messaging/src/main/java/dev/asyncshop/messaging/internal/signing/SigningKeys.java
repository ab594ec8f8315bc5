package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.internal.signing.SigningProperties.SigningKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.VerificationKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The keys of {@link SigningProperties}, read and checked once at start-up: a service with keys it
 * cannot use refuses to start, saying which setting is wrong and what to do, rather than send
 * messages nobody accepts or reject every message it receives.
 */
final class SigningKeys {

  static final String ALGORITHM = "Ed25519";

  /** A public key whose signatures are accepted, and the service it belongs to. */
  record AcceptedKey(
      String id, String owner, Ed25519Keys.Verifier verifier, @Nullable Instant notAfter) {}

  private final @Nullable String signingKeyId;
  private final Ed25519Keys.@Nullable Signer signingKey;
  private final Map<String, AcceptedKey> accepted;

  private SigningKeys(
      @Nullable String signingKeyId,
      Ed25519Keys.@Nullable Signer signingKey,
      Map<String, AcceptedKey> accepted) {
    this.signingKeyId = signingKeyId;
    this.signingKey = signingKey;
    this.accepted = Map.copyOf(accepted);
  }

  /**
   * @throws InvalidSigningSettingsException if a key is missing, unreadable, not Ed25519, or the
   *     private key does not match the public key accepted under its id
   */
  static SigningKeys load(SigningProperties properties) {
    Map<String, AcceptedKey> accepted = new LinkedHashMap<>();
    properties.keys().forEach((id, key) -> accepted.put(id, acceptedKey(id, key)));
    if (properties.verify() != Verify.OFF && accepted.isEmpty()) {
      throw new InvalidSigningSettingsException(
          ("messaging.signing.verify is '%s' but messaging.signing.keys accepts no key, so every"
                  + " message would fail its check. Add the public key of each sending service"
                  + " under messaging.signing.keys.<key-id> (owner and public-key-file), or set"
                  + " messaging.signing.verify to off.")
              .formatted(properties.verify().name().toLowerCase()));
    }
    SigningKey key = properties.key();
    if (key.id() == null || key.id().isBlank()) {
      if (key.privateKey() != null || key.privateKeyFile() != null) {
        throw new InvalidSigningSettingsException(
            "messaging.signing.key has a private key but no id. Set messaging.signing.key.id to the"
                + " id receivers know its public key by.");
      }
      return new SigningKeys(null, null, accepted);
    }
    PrivateKey privateKey = privateKey(key);
    AcceptedKey own = accepted.get(key.id());
    if (properties.verify() != Verify.OFF && own == null) {
      throw new InvalidSigningSettingsException(
          ("messaging.signing.key.id is '%s' but no such key is under messaging.signing.keys, so"
                  + " the messages this service sends itself would fail their check. Accept its"
                  + " public key everywhere first (messaging.signing.keys.%s), then sign with it.")
              .formatted(key.id(), key.id()));
    }
    if (own != null && own.notAfter() != null && own.notAfter().isBefore(Instant.now())) {
      throw new InvalidSigningSettingsException(
          ("messaging.signing.key '%s' expired at %s (messaging.signing.keys.%s.not-after), so"
                  + " every message it signs would be rejected. Sign with a newer key; see README,"
                  + " Rotating a signing key.")
              .formatted(key.id(), own.notAfter(), key.id()));
    }
    Ed25519Keys.Signer signer = Ed25519Keys.Signer.of(privateKey);
    if (own != null && !pair(signer, own.verifier())) {
      throw new InvalidSigningSettingsException(
          ("The private key of messaging.signing.key ('%s') does not belong to the public key"
                  + " accepted as messaging.signing.keys.%s. Give both the halves of one key pair.")
              .formatted(key.id(), key.id()));
    }
    return new SigningKeys(key.id(), signer, accepted);
  }

  /** The id signatures name, or {@code null} if this service signs nothing. */
  @Nullable String signingKeyId() {
    return signingKeyId;
  }

  Ed25519Keys.@Nullable Signer signingKey() {
    return signingKey;
  }

  /** The accepted key of that id, or {@code null}: unknown, or removed. */
  @Nullable AcceptedKey accepted(String id) {
    return accepted.get(id);
  }

  private static AcceptedKey acceptedKey(String id, VerificationKey key) {
    String setting = "messaging.signing.keys." + id;
    if (key.owner() == null || key.owner().isBlank()) {
      throw new InvalidSigningSettingsException(
          setting
              + ".owner is not set. Name the service that signs with this key (its"
              + " messaging.service-name); only messages from that source are accepted under it.");
    }
    byte[] der = der(setting, key.publicKey(), key.publicKeyFile(), "public-key", "PUBLIC KEY");
    try {
      return new AcceptedKey(
          id,
          key.owner(),
          Ed25519Keys.Verifier.of(
              KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der))),
          key.notAfter());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidSigningSettingsException(
          setting
              + " is not an Ed25519 public key in X.509 PEM. Make it with `openssl pkey -in"
              + " private.pem -pubout`.",
          e);
    }
  }

  private static PrivateKey privateKey(SigningKey key) {
    byte[] der =
        der(
            "messaging.signing.key",
            key.privateKey(),
            key.privateKeyFile(),
            "private-key",
            "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new InvalidSigningSettingsException(
          "messaging.signing.key is not an Ed25519 private key in PKCS #8 PEM. Make one with"
              + " `openssl genpkey -algorithm ed25519`.",
          e);
    }
  }

  /** The DER bytes inside the PEM given inline or in a file; exactly one of the two. */
  private static byte[] der(
      String setting,
      @Nullable String inline,
      @Nullable String file,
      String inlineName,
      String label) {
    if ((inline == null) == (file == null)) {
      throw new InvalidSigningSettingsException(
          ("%s needs exactly one of %s (the PEM text, say from an environment variable) and"
                  + " %s-file (the path of a mounted secret); it has %s.")
              .formatted(setting, inlineName, inlineName, inline == null ? "neither" : "both"));
    }
    String pem = inline;
    if (file != null) {
      try {
        pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new InvalidSigningSettingsException(
            "%s.%s-file '%s' cannot be read: %s. Mount the secret there or correct the path."
                .formatted(setting, inlineName, file, e),
            e);
      }
    }
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new InvalidSigningSettingsException(
          "%s is not a PEM '%s' block. Give the %s as PEM."
              .formatted(setting, label, label.toLowerCase()));
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to).strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidSigningSettingsException(
          setting + " is PEM whose content is not base64.", e);
    }
  }

  private static boolean pair(Ed25519Keys.Signer signer, Ed25519Keys.Verifier verifier) {
    byte[] probe = "key pair check".getBytes(StandardCharsets.US_ASCII);
    return verifier.holds(probe, signer.sign(probe));
  }
}
