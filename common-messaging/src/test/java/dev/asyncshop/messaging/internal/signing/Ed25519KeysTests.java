package dev.asyncshop.messaging.internal.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/**
 * The fast signer must agree with the JDK's: a message signed by a tool or service that uses the
 * JDK (or OpenSSL) is accepted here, and the other way round.
 */
class Ed25519KeysTests {

  private static final byte[] CONTENT =
      "specversion=1.0\nid=42\npayload bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void signaturesAreTheJdksByteForByteAndCheckBothWays() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(pair.getPrivate());
    jdk.update(CONTENT);
    byte[] jdkSignature = jdk.sign();

    byte[] signature = Ed25519Keys.Signer.of(pair.getPrivate()).sign(CONTENT);

    assertThat(signature).isEqualTo(jdkSignature);
    Signature jdkCheck = Signature.getInstance("Ed25519");
    jdkCheck.initVerify(pair.getPublic());
    jdkCheck.update(CONTENT);
    assertThat(jdkCheck.verify(signature)).isTrue();
    assertThat(Ed25519Keys.Verifier.of(pair.getPublic()).holds(CONTENT, jdkSignature)).isTrue();
  }

  @Test
  void anyChangedByteFailsTheCheck() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] signature = Ed25519Keys.Signer.of(pair.getPrivate()).sign(CONTENT);
    Ed25519Keys.Verifier verifier = Ed25519Keys.Verifier.of(pair.getPublic());

    byte[] changedContent = CONTENT.clone();
    changedContent[3] ^= 1;
    byte[] changedSignature = signature.clone();
    changedSignature[63] ^= (byte) 0x80;

    assertThat(verifier.holds(changedContent, signature)).isFalse();
    assertThat(verifier.holds(CONTENT, changedSignature)).isFalse();
  }
}
