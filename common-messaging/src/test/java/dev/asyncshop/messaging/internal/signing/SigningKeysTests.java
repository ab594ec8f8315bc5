package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.internal.signing.SigningProperties.SigningKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.VerificationKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTests {

  static final TestKey ORDER = TestSigningKeys.generate("order1", "order-service");
  static final TestKey OTHER = TestSigningKeys.generate("other1", "order-service");

  @Test
  void keysAreReadFromFiles(@TempDir Path dir) throws Exception {
    Path privateFile = Files.writeString(dir.resolve("private.pem"), ORDER.privatePem());
    Path publicFile = Files.writeString(dir.resolve("order1.pem"), ORDER.publicPem());

    SigningKeys keys =
        SigningKeys.load(
            new SigningProperties(
                Verify.ENFORCE,
                new SigningKey("order1", null, privateFile.toString()),
                Map.of("order1", new VerificationKey("order-service", null, publicFile.toString())),
                List.of()));

    assertThat(keys.signingKeyId()).isEqualTo("order1");
    assertThat(keys.accepted("order1").owner()).isEqualTo("order-service");
  }

  @Test
  void checkingWithNoAcceptedKeyIsRefused() {
    assertThatThrownBy(() -> SigningKeys.load(properties(Verify.WARN, null, Map.of())))
        .isInstanceOf(InvalidSigningSettingsException.class)
        .hasMessageContaining("messaging.signing.verify is 'warn' but messaging.signing.keys")
        .hasMessageContaining("or set messaging.signing.verify to off");
  }

  @Test
  void aSigningKeyTheServiceItselfDoesNotAcceptIsRefused() {
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(Verify.ENFORCE, ORDER, Map.of("other1", accepted(OTHER)))))
        .isInstanceOf(InvalidSigningSettingsException.class)
        .hasMessageContaining("messaging.signing.key.id is 'order1' but no such key");
  }

  @Test
  void halvesOfTwoDifferentPairsAreRefused() {
    TestKey mixed = new TestKey("order1", "order-service", ORDER.privatePem(), OTHER.publicPem());
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(Verify.ENFORCE, ORDER, Map.of("order1", accepted(mixed)))))
        .isInstanceOf(InvalidSigningSettingsException.class)
        .hasMessageContaining(
            "does not belong to the public key accepted as messaging.signing.keys.order1");
  }

  @Test
  void aKeyWithoutOwnerOrWithTwoSourcesOrAnUnreadableFileIsRefused() {
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(
                        Verify.ENFORCE,
                        null,
                        Map.of("order1", new VerificationKey(null, ORDER.publicPem(), null)))))
        .hasMessageContaining("messaging.signing.keys.order1.owner is not set");
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(
                        Verify.ENFORCE,
                        null,
                        Map.of(
                            "order1",
                            new VerificationKey("order-service", ORDER.publicPem(), "/x.pem")))))
        .hasMessageContaining("needs exactly one of public-key")
        .hasMessageContaining("it has both");
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(
                        Verify.ENFORCE,
                        null,
                        Map.of(
                            "order1",
                            new VerificationKey("order-service", null, "/no/such/key.pem")))))
        .hasMessageContaining("public-key-file '/no/such/key.pem' cannot be read");
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    properties(
                        Verify.ENFORCE,
                        null,
                        Map.of(
                            "order1",
                            new VerificationKey("order-service", ORDER.privatePem(), null)))))
        .hasMessageContaining("is not a PEM 'PUBLIC KEY' block");
  }

  private static VerificationKey accepted(TestKey key) {
    return new VerificationKey(key.owner(), key.publicPem(), null);
  }

  private static SigningProperties properties(
      Verify verify, TestKey signer, Map<String, VerificationKey> keys) {
    return new SigningProperties(
        verify,
        signer == null
            ? new SigningKey(null, null, null)
            : new SigningKey(signer.id(), signer.privatePem(), null),
        keys,
        List.of());
  }

  @Test
  void signingWithAnExpiredKeyIsRefused() {
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    new SigningProperties(
                        Verify.ENFORCE,
                        new SigningKey("order1", ORDER.privatePem(), null),
                        Map.of(
                            "order1",
                            new VerificationKey(
                                "order-service",
                                ORDER.publicPem(),
                                null,
                                java.time.Instant.parse("2020-01-01T00:00:00Z"))),
                        List.of())))
        .isInstanceOf(InvalidSigningSettingsException.class)
        .hasMessageContaining("expired at 2020-01-01T00:00:00Z");
  }
}
