package dev.asyncshop.messaging.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.DecodedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class StructuredCloudEventTests {

  final StructuredCloudEvent format = new StructuredCloudEvent(JsonMapper.builder().build());

  final Envelope envelope =
      new Envelope(
              "id-1",
              "/asyncshop/inventory-service",
              "stock.changed.v1",
              Instant.parse("2026-12-01T10:00:00Z"),
              "sku-1",
              Envelope.JSON,
              "flow-1",
              null,
              null,
              "sku-1")
          .withExtension("signaturekeyid", "inventory1");

  @Test
  void thePayloadComesBackByteForByteWithTheExtensions() {
    byte[] payload =
        "{ \"sku\" : \"sku-1\", \"price\": 10.50, \"note\": \"caf\\u00e9\" }"
            .getBytes(StandardCharsets.UTF_8);

    DecodedMessage read = format.read(format.write(envelope, payload));

    assertThat(read.data()).isEqualTo(payload);
    assertThat(read.envelope()).isEqualTo(envelope);
  }

  @Test
  void anEncryptedPayloadTravelsAsDataBase64() {
    byte[] ciphertext = {0, 1, (byte) 0xff, '"', '{', 7};
    Envelope encrypted = envelope.withExtension("encryptionkeyid", "stock1");

    String json = format.write(encrypted, ciphertext);
    DecodedMessage read = format.read(json);

    assertThat(json).contains("\"data_base64\":\"AAH/InsH\"").doesNotContain("\"data\"");
    assertThat(read.data()).isEqualTo(ciphertext);
    assertThat(read.envelope()).isEqualTo(encrypted);
  }

  @Test
  void dataIsFoundWhereverItStandsInTheDocument() {
    String json =
        "{\"specversion\":\"1.0\",\"id\":\"id-1\",\"data\" : [1, 2.0 ] ,"
            + "\"source\":\"/asyncshop/x\",\"type\":\"t.v1\"}";

    assertThat(new String(format.read(json).data(), StandardCharsets.UTF_8)).isEqualTo("[1, 2.0 ]");
  }
}
