package dev.asyncshop.messaging.internal.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.ActiveKey;
import dev.asyncshop.messaging.internal.encryption.EncryptionProperties.MasterKey;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryption.Decrypted;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryption.Encrypted;
import dev.asyncshop.messaging.test.TestEncryptionKeys;
import dev.asyncshop.messaging.test.TestEncryptionKeys.TestMasterKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadEncryptionTests {

  static final TestMasterKey PAY1 = TestEncryptionKeys.generate("pay1");
  static final TestMasterKey PAY2 = TestEncryptionKeys.generate("pay2");
  static final TestMasterKey SHIP1 = TestEncryptionKeys.generate("ship1");
  static final String CARD = "tok_4242424242424242";
  static final byte[] PAYLOAD =
      ("{\"orderId\":\"o-1\",\"cardToken\":\"" + CARD + "\"}").getBytes(StandardCharsets.UTF_8);

  static PayloadEncryption encryption(String activeId, TestMasterKey... held) {
    Map<String, MasterKey> keys = new java.util.LinkedHashMap<>();
    for (TestMasterKey key : held) {
      keys.put(key.id(), new MasterKey(key.secret(), null, List.of(), false));
    }
    return new PayloadEncryption(
        MasterKeys.load(
            new EncryptionProperties(new ActiveKey(activeId, null, null), keys), List.of()));
  }

  static Envelope envelope(String id, String type) {
    return new Envelope(
        id,
        "/asyncshop/order-service",
        type,
        Instant.parse("2026-12-01T10:00:00Z"),
        "o-1",
        Envelope.JSON,
        "flow-1",
        null,
        null,
        "o-1");
  }

  final PayloadEncryption order = encryption("pay1", PAY1);
  final PayloadEncryption payment = encryption(null, PAY1, PAY2);

  @Test
  void anEncryptedPayloadDecryptsUnderTheKeyItNames() {
    Encrypted encrypted = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);

    assertThat(encrypted.envelope().extension("encryptionkeyid")).isEqualTo("pay1");
    assertThat(Base64.getDecoder().decode(encrypted.envelope().extension("encrypteddatakey")))
        .hasSize(40);
    assertThat(Base64.getDecoder().decode(encrypted.envelope().extension("encryptionnonce")))
        .hasSize(12);
    assertThat(new String(encrypted.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain(CARD);
    assertThat(encrypted.ciphertext()).hasSize(PAYLOAD.length + 16);

    Decrypted decrypted = payment.decrypt(encrypted.envelope(), encrypted.ciphertext());
    assertThat(decrypted.failure()).isNull();
    assertThat(decrypted.plaintext()).isEqualTo(PAYLOAD);
    assertThat(decrypted.envelope().extensions())
        .containsEntry("encryptionkeyid", "pay1")
        .doesNotContainKeys("encrypteddatakey", "encryptionnonce");
  }

  @Test
  void everyMessageHasItsOwnDataKeyAndNonce() {
    Encrypted first = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);
    Encrypted second = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);

    assertThat(first.envelope().extension("encrypteddatakey"))
        .isNotEqualTo(second.envelope().extension("encrypteddatakey"));
    assertThat(first.envelope().extension("encryptionnonce"))
        .isNotEqualTo(second.envelope().extension("encryptionnonce"));
    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
  }

  @Test
  void aChangedCiphertextNonceOrWrappedKeyDoesNotDecrypt() {
    Encrypted encrypted = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);
    byte[] ciphertext = encrypted.ciphertext().clone();
    ciphertext[3] ^= 1;

    assertThat(payment.decrypt(encrypted.envelope(), ciphertext).failure().problem())
        .isEqualTo(DecryptionProblem.TAMPERED);
    assertThat(
            payment
                .decrypt(flipped(encrypted.envelope(), "encryptionnonce"), encrypted.ciphertext())
                .failure()
                .problem())
        .isEqualTo(DecryptionProblem.TAMPERED);
    assertThat(
            payment
                .decrypt(flipped(encrypted.envelope(), "encrypteddatakey"), encrypted.ciphertext())
                .failure()
                .problem())
        .isEqualTo(DecryptionProblem.WRAPPED_KEY_INVALID);
  }

  @Test
  void aCiphertextMovedIntoAnotherMessageOrTypeDoesNotDecrypt() {
    Encrypted encrypted = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);
    Map<String, String> attributes = encrypted.envelope().extensions();

    Envelope otherId = withExtensions(envelope("id-2", "payment.authorize.v1"), attributes);
    Envelope otherType = withExtensions(envelope("id-1", "payment.refund.v1"), attributes);

    assertThat(payment.decrypt(otherId, encrypted.ciphertext()).failure().problem())
        .isEqualTo(DecryptionProblem.TAMPERED);
    assertThat(payment.decrypt(otherType, encrypted.ciphertext()).failure().problem())
        .isEqualTo(DecryptionProblem.TAMPERED);
  }

  @Test
  void aKeyNotHeldOrAMissingAttributeIsNamedAndNoKeyIsShown() {
    Encrypted underShip =
        encryption("ship1", SHIP1).encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);

    Decrypted unknown = payment.decrypt(underShip.envelope(), underShip.ciphertext());
    assertThat(unknown.failure().problem()).isEqualTo(DecryptionProblem.UNKNOWN_KEY);
    assertThat(unknown.failure().detail())
        .contains("'ship1'")
        .doesNotContain(SHIP1.secret())
        .doesNotContain(underShip.envelope().extension("encrypteddatakey"));

    Decrypted incomplete =
        payment.decrypt(
            underShip.envelope().withoutExtension("encryptionnonce"), underShip.ciphertext());
    assertThat(incomplete.failure().problem()).isEqualTo(DecryptionProblem.INCOMPLETE);
    assertThat(incomplete.failure().detail()).isEqualTo("the message lacks encryptionnonce");

    Decrypted malformed =
        payment.decrypt(
            underShip
                .envelope()
                .withExtension("encryptionkeyid", "pay1")
                .withExtension("encryptionnonce", "not base64!"),
            underShip.ciphertext());
    assertThat(malformed.failure().problem()).isEqualTo(DecryptionProblem.MALFORMED);
  }

  @Test
  void aKeyForOtherTypesDoesNotDecryptThisOne() {
    PayloadEncryption shipping =
        new PayloadEncryption(
            MasterKeys.load(
                new EncryptionProperties(
                    new ActiveKey(null, null, null),
                    Map.of(
                        "pay1",
                        new MasterKey(PAY1.secret(), null, List.of("shipping.schedule.v1"), true))),
                List.of()));
    Encrypted encrypted = order.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD);

    assertThat(shipping.decrypt(encrypted.envelope(), encrypted.ciphertext()).failure().problem())
        .isEqualTo(DecryptionProblem.UNKNOWN_KEY);
  }

  @Test
  void withoutAnActiveKeyNothingIsEncrypted() {
    assertThatThrownBy(() -> payment.encrypt(envelope("id-1", "payment.authorize.v1"), PAYLOAD))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No master key is active for payment.authorize.v1");
  }

  private static Envelope flipped(Envelope envelope, String extension) {
    byte[] bytes = Base64.getDecoder().decode(envelope.extension(extension));
    bytes[bytes.length - 1] ^= 1;
    return envelope.withExtension(extension, Base64.getEncoder().encodeToString(bytes));
  }

  private static Envelope withExtensions(Envelope envelope, Map<String, String> extensions) {
    Envelope result = envelope;
    for (Map.Entry<String, String> extension : extensions.entrySet()) {
      result = result.withExtension(extension.getKey(), extension.getValue());
    }
    return result;
  }
}
