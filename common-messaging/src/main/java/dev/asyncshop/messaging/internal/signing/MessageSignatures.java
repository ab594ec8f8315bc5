package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.signing.SigningKeys.AcceptedKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Signs envelopes with this service's key and checks them against the accepted keys. */
final class MessageSignatures {

  /** What a check found wrong, and the words for the log and the dead letter. */
  record Failure(SignatureProblem problem, String detail) {}

  private static final int ED25519_SIGNATURE_BYTES = 64;

  private final SigningKeys keys;
  private final Map<String, List<String>> allowedSenders;
  private final VerifiedSignatures verified;
  private final boolean rememberOwn;

  MessageSignatures(SigningKeys keys, List<SigningProperties.AllowedSenders> allowedSenders) {
    this(keys, allowedSenders, new VerifiedSignatures(), true);
  }

  /**
   * @param rememberOwn whether the signatures {@link #sign} makes are remembered as holding
   */
  MessageSignatures(
      SigningKeys keys,
      List<SigningProperties.AllowedSenders> allowedSenders,
      VerifiedSignatures verified,
      boolean rememberOwn) {
    this.keys = keys;
    this.verified = verified;
    this.rememberOwn = rememberOwn;
    this.allowedSenders =
        allowedSenders.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    SigningProperties.AllowedSenders::type,
                    SigningProperties.AllowedSenders::services,
                    (a, b) -> {
                      throw new InvalidSigningSettingsException(
                          "messaging.signing.allowed-senders lists a type twice. Give each type"
                              + " one entry with all the services that may send it.");
                    }));
  }

  /**
   * The envelope with {@code signaturekeyid} and {@code signature} set, over the payload; any
   * signature it had is replaced.
   */
  Envelope sign(Envelope envelope, byte[] payload) {
    Ed25519Keys.Signer key = keys.signingKey();
    String keyId = keys.signingKeyId();
    if (key == null || keyId == null) {
      throw new IllegalStateException("No signing key: messaging.signing.key is not set");
    }
    Envelope named =
        envelope
            .withoutExtension(SignatureExtensions.SIGNATURE)
            .withExtension(SignatureExtensions.KEY_ID, keyId);
    byte[] canonicalForm = CanonicalForm.of(named, payload);
    String signature = Base64.getEncoder().encodeToString(key.sign(canonicalForm));
    if (rememberOwn) {
      verified.remember(keyId, signature, canonicalForm);
    }
    return named.withExtension(SignatureExtensions.SIGNATURE, signature);
  }

  /** What is wrong with the message's signature, or {@code null} if it holds. */
  @Nullable Failure check(Envelope envelope, byte[] payload) {
    String signature = envelope.extension(SignatureExtensions.SIGNATURE);
    String keyId = envelope.extension(SignatureExtensions.KEY_ID);
    if (signature == null || keyId == null) {
      return new Failure(
          SignatureProblem.UNSIGNED,
          "the message has no " + (signature == null ? "signature" : "signaturekeyid"));
    }
    AcceptedKey key = keys.accepted(keyId);
    if (key == null) {
      return new Failure(
          SignatureProblem.UNKNOWN_KEY,
          "key id '" + printable(keyId) + "' is not among messaging.signing.keys");
    }
    byte[] signatureBytes;
    try {
      signatureBytes = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return new Failure(SignatureProblem.MALFORMED, "the signature is not base64");
    }
    if (signatureBytes.length != ED25519_SIGNATURE_BYTES) {
      return new Failure(
          SignatureProblem.MALFORMED,
          "the signature has " + signatureBytes.length + " bytes, not " + ED25519_SIGNATURE_BYTES);
    }
    byte[] canonicalForm = CanonicalForm.of(envelope, payload);
    if (verified.holds(keyId, signature, canonicalForm)) {
      return checkSender(envelope, keyId, key);
    }
    if (!key.verifier().holds(canonicalForm, signatureBytes)) {
      return new Failure(
          SignatureProblem.TAMPERED,
          "the signature of key '"
              + keyId
              + "' does not match the attributes and payload; they changed after signing");
    }
    verified.remember(keyId, signature, canonicalForm);
    return checkSender(envelope, keyId, key);
  }

  /** What is wrong with the key or sender of a message whose signature holds, or {@code null}. */
  private @Nullable Failure checkSender(Envelope envelope, String keyId, AcceptedKey key) {
    // After the signature holds: only then is the message's time the signer's own.
    if (key.notAfter() != null && envelope.time().isAfter(key.notAfter())) {
      return new Failure(
          SignatureProblem.EXPIRED_KEY,
          "key '%s' expired at %s, and the message was signed at %s"
              .formatted(keyId, key.notAfter(), envelope.time()));
    }
    String sender = serviceOf(envelope.source());
    if (!key.owner().equals(sender)) {
      return new Failure(
          SignatureProblem.SOURCE_MISMATCH,
          "key '%s' belongs to %s but the message names %s as its source"
              .formatted(keyId, key.owner(), printable(envelope.source())));
    }
    List<String> allowed = allowedSenders.get(envelope.type());
    if (allowed != null && !allowed.contains(sender)) {
      return new Failure(
          SignatureProblem.SOURCE_NOT_ALLOWED,
          "%s may not send %s; messaging.signing.allowed-senders allows %s"
              .formatted(sender, envelope.type(), allowed));
    }
    return null;
  }

  /** The service a source names: its last path segment ({@code /asyncshop/order-service}). */
  static String serviceOf(String source) {
    return source.substring(source.lastIndexOf('/') + 1);
  }

  /** Text from a message that failed its check, cut short, for a log line. */
  private static String printable(String text) {
    String line = text.replaceAll("\\p{Cntrl}", "?");
    return line.length() > 80 ? line.substring(0, 80) + "…" : line;
  }
}
