package dev.asyncshop.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditChainTests {

  private static final String RECORD = "{\"outcome\":\"PUBLISHED\",\"detail\":null}";
  private static final String CHAIN = "order-service/host-42/2026-12-03T10:00:00Z";

  private final MessageDigest sha256 = AuditChain.sha256();

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theCanonicalFormIsTheValueWithoutItsOwnHash() {
    AuditChain.Sealed sealed =
        AuditChain.seal(bytes(RECORD), CHAIN, 1, AuditChain.ZERO_HASH, List.of(), sha256);

    String canonical =
        "{\"outcome\":\"PUBLISHED\",\"detail\":null,\"chain\":{\"id\":\""
            + CHAIN
            + "\",\"sequence\":1,"
            + "\"previousHash\":\""
            + AuditChain.ZERO_HASH
            + "\"}}";
    assertThat(new String(AuditChain.canonicalForm(sealed.value()), StandardCharsets.UTF_8))
        .isEqualTo(canonical);
    assertThat(new String(sealed.value(), StandardCharsets.UTF_8))
        .isEqualTo(
            canonical.substring(0, canonical.length() - 2)
                + ",\"hash\":\""
                + sealed.hash()
                + "\"}}");
  }

  @Test
  void theHashIsTheSha256OfTheCanonicalFormInLowercaseHex() throws Exception {
    AuditChain.Sealed sealed =
        AuditChain.seal(bytes(RECORD), CHAIN, 7, "ab".repeat(32), List.of(), sha256);

    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(AuditChain.canonicalForm(sealed.value()));
    assertThat(sealed.hash()).isEqualTo(HexFormat.of().formatHex(digest)).hasSize(64);
    // A value fixed once, so that the byte form cannot drift unnoticed.
    assertThat(AuditChain.hash(bytes("{}"), sha256))
        .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }

  @Test
  void theSealedValueIsTheRecordWithAChainMember() {
    AuditChain.Sealed sealed =
        AuditChain.seal(
            bytes(RECORD + "\n"),
            "a \"quoted\" chain",
            3,
            AuditChain.ZERO_HASH,
            List.of(new AuditChain.LostRange(1, 2, "cd".repeat(32))),
            sha256);

    JsonNode read = JsonMapper.builder().build().readTree(sealed.value());
    assertThat(read.path("outcome").asString()).isEqualTo("PUBLISHED");
    assertThat(read.path("chain").path("id").asString()).isEqualTo("a \"quoted\" chain");
    assertThat(read.path("chain").path("sequence").asLong()).isEqualTo(3);
    assertThat(read.path("chain").path("lost").get(0).path("to").asLong()).isEqualTo(2);
    assertThat(read.path("chain").path("hash").asString()).isEqualTo(sealed.hash());
    assertThat(AuditChain.carriedHash(sealed.value())).isEqualTo(sealed.hash());
  }

  @Test
  void anyChangedByteChangesTheHash() {
    AuditChain.Sealed sealed =
        AuditChain.seal(bytes(RECORD), CHAIN, 1, AuditChain.ZERO_HASH, List.of(), sha256);
    byte[] altered = sealed.value().clone();
    altered[3] = 'X';

    assertThat(AuditChain.hash(AuditChain.canonicalForm(altered), sha256))
        .isNotEqualTo(sealed.hash());
  }

  @Test
  void aValueWithoutAHashWhereTheWriterPutsItHasNoCanonicalForm() {
    assertThat(AuditChain.canonicalForm(bytes(RECORD))).isNull();
    assertThat(
            AuditChain.canonicalForm(bytes("{\"chain\":{\"hash\":\"" + "AB".repeat(32) + "\"}}")))
        .isNull();
    assertThat(AuditChain.carriedHash(bytes("{}"))).isNull();
  }

  @Test
  void onlyAJsonObjectCanBeSealed() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> AuditChain.seal(bytes("[1]"), CHAIN, 1, AuditChain.ZERO_HASH, List.of(), sha256));
    AuditChain.Sealed empty =
        AuditChain.seal(bytes("{}"), CHAIN, 1, AuditChain.ZERO_HASH, List.of(), sha256);
    assertThat(JsonMapper.builder().build().readTree(empty.value()).path("chain").isObject())
        .isTrue();
  }
}
