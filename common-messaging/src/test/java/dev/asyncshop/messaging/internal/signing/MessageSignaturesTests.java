package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.signing.MessageSignatures.Failure;
import dev.asyncshop.messaging.internal.signing.SigningProperties.AllowedSenders;
import dev.asyncshop.messaging.internal.signing.SigningProperties.SigningKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.VerificationKey;
import dev.asyncshop.messaging.internal.signing.SigningProperties.Verify;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MessageSignaturesTests {

  static final TestKey ORDER = TestSigningKeys.generate("order1", "order-service");
  static final TestKey PAYMENT = TestSigningKeys.generate("payment1", "payment-service");
  static final byte[] PAYLOAD =
      "{\"orderId\":\"o-1\",\"amount\":10.50}".getBytes(StandardCharsets.UTF_8);

  final MessageSignatures orderSigns = signatures(ORDER);
  final MessageSignatures paymentSigns = signatures(PAYMENT);

  static MessageSignatures signatures(TestKey signer) {
    return signatures(signer, new VerifiedSignatures());
  }

  static MessageSignatures signatures(TestKey signer, VerifiedSignatures verified) {
    return signatures(signer, verified, true);
  }

  static MessageSignatures signatures(
      TestKey signer, VerifiedSignatures verified, boolean rememberOwn) {
    SigningProperties properties =
        new SigningProperties(
            Verify.ENFORCE,
            new SigningKey(signer.id(), signer.privatePem(), null),
            Map.of(
                ORDER.id(), new VerificationKey(ORDER.owner(), ORDER.publicPem(), null),
                PAYMENT.id(), new VerificationKey(PAYMENT.owner(), PAYMENT.publicPem(), null)),
            List.of(new AllowedSenders("payment.authorize.v1", List.of("order-service"))));
    return new MessageSignatures(
        SigningKeys.load(properties), properties.allowedSenders(), verified, rememberOwn);
  }

  static Envelope envelope(String source, String type) {
    return new Envelope(
        "id-1",
        source,
        type,
        Instant.parse("2026-12-01T10:00:00Z"),
        "o-1",
        Envelope.JSON,
        "flow-1",
        null,
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "o-1");
  }

  @Test
  void aSignedMessageHolds() {
    Envelope signed =
        orderSigns.sign(envelope("/asyncshop/order-service", "payment.authorize.v1"), PAYLOAD);

    assertThat(signed.extension("signaturekeyid")).isEqualTo("order1");
    assertThat(signed.extension("signature")).isNotBlank();
    assertThat(paymentSigns.check(signed, PAYLOAD)).isNull();
  }

  @Test
  void everyChangedAttributeAndPayloadByteBreaksTheSignature() {
    Envelope signed =
        orderSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    Map<String, UnaryOperator<Envelope>> changes =
        Map.ofEntries(
            Map.entry("id", e -> copy(e, "id-2", e.source(), e.type(), e.time(), e.subject())),
            Map.entry(
                "source",
                e -> copy(e, e.id(), "/asyncshop/order-servicf", e.type(), e.time(), e.subject())),
            Map.entry(
                "type", e -> copy(e, e.id(), e.source(), "order.placed.v2", e.time(), e.subject())),
            Map.entry(
                "time",
                e -> copy(e, e.id(), e.source(), e.type(), e.time().plusNanos(1000), e.subject())),
            Map.entry("subject", e -> copy(e, e.id(), e.source(), e.type(), e.time(), "o-2")),
            Map.entry(
                "subject removed", e -> copy(e, e.id(), e.source(), e.type(), e.time(), null)),
            Map.entry("extension added", e -> e.withExtension("extra", "1")),
            Map.entry("key id", e -> e.withExtension("signaturekeyid", "payment1")));
    changes.forEach(
        (what, change) ->
            assertThat(paymentSigns.check(change.apply(signed), PAYLOAD))
                .as(what)
                .extracting(Failure::problem)
                .isEqualTo(SignatureProblem.TAMPERED));

    byte[] changedPayload = PAYLOAD.clone();
    changedPayload[changedPayload.length - 2] = '1';
    assertThat(paymentSigns.check(signed, changedPayload).problem())
        .isEqualTo(SignatureProblem.TAMPERED);
  }

  @Test
  void aSignatureThatHeldOnceStillRefusesEveryChangedCopy() {
    Envelope signed =
        orderSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    assertThat(paymentSigns.check(signed, PAYLOAD)).isNull();
    assertThat(paymentSigns.check(signed, PAYLOAD)).as("read again").isNull();

    byte[] changedPayload = PAYLOAD.clone();
    changedPayload[changedPayload.length - 2] = '1';
    assertThat(paymentSigns.check(signed, changedPayload).problem())
        .isEqualTo(SignatureProblem.TAMPERED);
    assertThat(
            paymentSigns
                .check(
                    copy(signed, signed.id(), signed.source(), signed.type(), signed.time(), "o-2"),
                    PAYLOAD)
                .problem())
        .isEqualTo(SignatureProblem.TAMPERED);
    assertThat(
            paymentSigns
                .check(signed.withExtension("signaturekeyid", PAYMENT.id()), PAYLOAD)
                .problem())
        .isEqualTo(SignatureProblem.TAMPERED);
  }

  @Test
  void aSignatureRememberedAsHoldingIsNotCheckedWithEd25519Again() {
    VerifiedSignatures verified = new VerifiedSignatures();
    MessageSignatures checks = signatures(PAYMENT, verified);
    Envelope signed =
        orderSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    String wrong = Base64.getEncoder().encodeToString(new byte[64]);
    Envelope wronglySigned = signed.withExtension("signature", wrong);
    assertThat(checks.check(wronglySigned, PAYLOAD).problem()).isEqualTo(SignatureProblem.TAMPERED);

    // Only a remembered signature, never the curve, could let this one through.
    verified.remember(ORDER.id(), wrong, CanonicalForm.of(wronglySigned, PAYLOAD));

    assertThat(checks.check(wronglySigned, PAYLOAD)).isNull();
  }

  @Test
  void aMessageThisServiceSignedHoldsWhenItHearsItAndItsSenderIsStillChecked() {
    Envelope own =
        orderSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    assertThat(orderSigns.check(own, PAYLOAD)).isNull();

    Envelope claimsPayment =
        orderSigns.sign(envelope("/asyncshop/payment-service", "order.placed.v1"), PAYLOAD);
    assertThat(orderSigns.check(claimsPayment, PAYLOAD).problem())
        .isEqualTo(SignatureProblem.SOURCE_MISMATCH);
  }

  @Test
  void aServiceThatRemembersNoOwnSignatureChecksItsOwnMessagesOnTheCurve() {
    VerifiedSignatures verified = new VerifiedSignatures();
    MessageSignatures forgetful = signatures(ORDER, verified, false);

    Envelope own = forgetful.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);

    assertThat(
            verified.holds(ORDER.id(), own.extension("signature"), CanonicalForm.of(own, PAYLOAD)))
        .isFalse();
    assertThat(forgetful.check(own, PAYLOAD)).isNull();
  }

  @Test
  void theCanonicalFormLeavesNoAmbiguityBetweenNamesAndValues() {
    Envelope a = envelope("/asyncshop/a", "t.v1").withExtension("ab", "c");
    Envelope b = envelope("/asyncshop/a", "t.v1").withExtension("a", "bc");

    assertThat(CanonicalForm.of(a, PAYLOAD)).isNotEqualTo(CanonicalForm.of(b, PAYLOAD));
  }

  @Test
  void unsignedUnknownKeyAndMalformedAreNamed() {
    Envelope plain = envelope("/asyncshop/order-service", "order.placed.v1");
    assertThat(paymentSigns.check(plain, PAYLOAD).problem()).isEqualTo(SignatureProblem.UNSIGNED);

    Envelope signed = orderSigns.sign(plain, PAYLOAD);
    MessageSignatures withoutOrderKey =
        new MessageSignatures(
            SigningKeys.load(
                new SigningProperties(
                    Verify.ENFORCE,
                    new SigningKey(null, null, null),
                    Map.of(
                        PAYMENT.id(),
                        new VerificationKey(PAYMENT.owner(), PAYMENT.publicPem(), null)),
                    List.of())),
            List.of());
    assertThat(withoutOrderKey.check(signed, PAYLOAD).problem())
        .isEqualTo(SignatureProblem.UNKNOWN_KEY);

    assertThat(
            paymentSigns.check(signed.withExtension("signature", "not base64!"), PAYLOAD).problem())
        .isEqualTo(SignatureProblem.MALFORMED);
  }

  @Test
  void aKeyOnlySignsForItsOwnerAndAllowedSendersAreHeld() {
    Envelope claimsOrder =
        paymentSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    assertThat(orderSigns.check(claimsOrder, PAYLOAD).problem())
        .isEqualTo(SignatureProblem.SOURCE_MISMATCH);

    Envelope paymentAuthorizes =
        paymentSigns.sign(envelope("/asyncshop/payment-service", "payment.authorize.v1"), PAYLOAD);
    assertThat(orderSigns.check(paymentAuthorizes, PAYLOAD).problem())
        .isEqualTo(SignatureProblem.SOURCE_NOT_ALLOWED);

    Envelope orderAuthorizes =
        orderSigns.sign(envelope("/asyncshop/order-service", "payment.authorize.v1"), PAYLOAD);
    assertThat(paymentSigns.check(orderAuthorizes, PAYLOAD)).isNull();
  }

  @Test
  void aKeyPastItsNotAfterIsRefusedForWhatItSignsLaterButNotForWhatItSignedBefore() {
    Instant expiry = Instant.parse("2026-12-01T12:00:00Z");
    SigningProperties properties =
        new SigningProperties(
            Verify.ENFORCE,
            new SigningKey(null, null, null),
            Map.of(ORDER.id(), new VerificationKey(ORDER.owner(), ORDER.publicPem(), null, expiry)),
            List.of());
    MessageSignatures checks =
        new MessageSignatures(SigningKeys.load(properties), properties.allowedSenders());
    Envelope before =
        orderSigns.sign(envelope("/asyncshop/order-service", "order.placed.v1"), PAYLOAD);
    Envelope after =
        orderSigns.sign(
            copy(
                before,
                "id-2",
                before.source(),
                before.type(),
                expiry.plusSeconds(1),
                before.subject()),
            PAYLOAD);

    assertThat(checks.check(before, PAYLOAD)).isNull();
    Failure expired = checks.check(after, PAYLOAD);
    assertThat(expired.problem()).isEqualTo(SignatureProblem.EXPIRED_KEY);
    assertThat(expired.problem().tag()).isEqualTo("expired_key");
    assertThat(expired.detail()).contains("order1", "expired at 2026-12-01T12:00:00Z");
  }

  private static Envelope copy(
      Envelope e, String id, String source, String type, Instant time, String subject) {
    return new Envelope(
        id,
        source,
        type,
        time,
        subject,
        e.dataContentType(),
        e.correlationId(),
        e.causationId(),
        e.traceparent(),
        e.partitionKey(),
        e.extensions());
  }
}
