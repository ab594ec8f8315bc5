package dev.asyncshop.messaging.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.Envelope;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudEventAttributesTests {

  private final Envelope envelope =
      new Envelope(
          "id-1",
          "/asyncshop/test",
          "test.event.v1",
          Instant.parse("2026-11-29T10:00:00Z"),
          "order-1",
          "application/json",
          "flow-1",
          "cause-1",
          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
          "order-1");

  @Test
  void everyAttributeSurvivesTheRoundTrip() {
    Map<String, String> attributes = CloudEventAttributes.of(envelope);

    assertThat(attributes).containsEntry("specversion", "1.0");
    assertThat(CloudEventAttributes.toEnvelope(attributes::get)).isEqualTo(envelope);
  }

  @Test
  void missingRequiredAttributeIsPoison() {
    Map<String, String> attributes = new HashMap<>(CloudEventAttributes.of(envelope));
    attributes.remove("source");

    assertThatThrownBy(() -> CloudEventAttributes.toEnvelope(attributes::get))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessage("Missing CloudEvents attribute 'source'");
  }

  @Test
  void malformedTimeIsPoison() {
    Map<String, String> attributes = new HashMap<>(CloudEventAttributes.of(envelope));
    attributes.put("time", "yesterday");

    assertThatThrownBy(() -> CloudEventAttributes.toEnvelope(attributes::get))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageContaining("not RFC 3339");
  }
}
