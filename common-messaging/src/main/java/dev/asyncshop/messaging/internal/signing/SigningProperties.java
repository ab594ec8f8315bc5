package dev.asyncshop.messaging.internal.signing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code messaging.signing.*}: the key this service signs with, the keys whose
 * signatures it accepts, and how strictly it checks them. Keys come from files or the environment
 * (Kubernetes or Compose secrets), never from the repository.
 *
 * @param verify what happens to a message whose signature does not hold: nothing ({@code off}),
 *     counted, logged and audited but handled ({@code warn}, for rolling signing out), or rejected
 *     to the dead letters before any handler runs ({@code enforce})
 * @param key the key this service signs every message with; without an id nothing is signed
 * @param keys the public keys whose signatures are accepted, by key id; removing one rejects what
 *     it signed
 * @param allowedSenders for the types listed, the only services that may send them; a type not
 *     listed may come from any service whose key is accepted
 * @param rememberOwn whether a signature this service makes is remembered as holding, so that its
 *     own messages read back (its broadcasts, its events in its projections) are checked without
 *     Ed25519; on by default. Off, a service pays no SHA-256 per send to remember them, and every
 *     message it reads back is checked on the curve
 */
@ConfigurationProperties("messaging.signing")
public record SigningProperties(
    @DefaultValue("off") Verify verify,
    @DefaultValue SigningKey key,
    @Nullable Map<String, VerificationKey> keys,
    @DefaultValue List<AllowedSenders> allowedSenders,
    @DefaultValue("true") boolean rememberOwn) {

  @ConstructorBinding
  public SigningProperties {
    keys = keys == null ? Map.of() : Map.copyOf(keys);
  }

  /** Settings that remember this service's own signatures. */
  public SigningProperties(
      Verify verify,
      SigningKey key,
      @Nullable Map<String, VerificationKey> keys,
      List<AllowedSenders> allowedSenders) {
    this(verify, key, keys, allowedSenders, true);
  }

  /** How received messages' signatures are checked. */
  public enum Verify {
    /** Not at all. */
    OFF,
    /** Checked; a failure is counted, logged and audited, and the message handled all the same. */
    WARN,
    /** Checked; a failure goes to the dead letters, never to a handler. */
    ENFORCE
  }

  /**
   * The active signing key: its id and its Ed25519 private key in PKCS #8 PEM, given either inline
   * (from an environment variable) or as a file.
   *
   * @param id the key id every signature names, so receivers know which public key to check with
   * @param privateKey the PEM text ({@code -----BEGIN PRIVATE KEY-----}), usually set from an
   *     environment variable such as {@code MESSAGING_SIGNING_KEY_PRIVATEKEY}
   * @param privateKeyFile the path of a PEM file, such as a mounted secret
   */
  public record SigningKey(
      @Nullable String id, @Nullable String privateKey, @Nullable String privateKeyFile) {}

  /**
   * A public key whose signatures are accepted.
   *
   * @param owner the service the key belongs to; a message it signed must name that service as its
   *     CloudEvents {@code source}
   * @param publicKey the Ed25519 public key in X.509 PEM ({@code -----BEGIN PUBLIC KEY-----})
   * @param publicKeyFile the path of that PEM, instead of the text
   * @param notAfter when the key expires: a message whose (signed) {@code time} is later is
   *     rejected as {@code expired_key}, while what it signed before keeps verifying until the key
   *     is removed; none, by default
   */
  public record VerificationKey(
      @Nullable String owner,
      @Nullable String publicKey,
      @Nullable String publicKeyFile,
      @Nullable Instant notAfter) {

    @ConstructorBinding
    public VerificationKey {}

    /** A key that does not expire. */
    public VerificationKey(
        @Nullable String owner, @Nullable String publicKey, @Nullable String publicKeyFile) {
      this(owner, publicKey, publicKeyFile, null);
    }
  }

  /**
   * The services that may send one message type.
   *
   * @param type the versioned message type
   * @param services the service names, as in {@code messaging.service-name}
   */
  public record AllowedSenders(String type, @DefaultValue List<String> services) {}
}
