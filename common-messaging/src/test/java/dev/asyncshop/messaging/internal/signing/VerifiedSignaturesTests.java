package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerifiedSignaturesTests {

  static final byte[] SIGNED = "the canonical form".getBytes(StandardCharsets.UTF_8);

  final VerifiedSignatures verified = new VerifiedSignatures();

  @Test
  void aRememberedSignatureHoldsForTheSameKeyAndBytesOnly() {
    verified.remember("order1", "c2lnbmF0dXJl", SIGNED);

    assertThat(verified.holds("order1", "c2lnbmF0dXJl", SIGNED.clone())).isTrue();
    assertThat(verified.holds("payment1", "c2lnbmF0dXJl", SIGNED)).isFalse();
    assertThat(verified.holds("order1", "b3RoZXI=", SIGNED)).isFalse();
    byte[] changed = SIGNED.clone();
    changed[0] ^= 1;
    assertThat(verified.holds("order1", "c2lnbmF0dXJl", changed)).isFalse();
  }

  @Test
  void itForgetsEverythingWhenFullAndGoesOn() {
    for (int i = 0; i < VerifiedSignatures.CAPACITY; i++) {
      verified.remember("order1", "signature-" + i, SIGNED);
    }
    assertThat(verified.size()).isEqualTo(VerifiedSignatures.CAPACITY);

    verified.remember("order1", "one more", SIGNED);

    assertThat(verified.size()).isOne();
    assertThat(verified.holds("order1", "one more", SIGNED)).isTrue();
    assertThat(verified.holds("order1", "signature-0", SIGNED)).isFalse();
  }
}
