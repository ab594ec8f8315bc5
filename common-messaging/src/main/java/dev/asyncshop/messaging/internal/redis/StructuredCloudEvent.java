package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CloudEvents JSON event format (structured mode): attributes are top-level members and the
 * payload is the {@code data} member. Redis pub/sub has no headers, so this is how the envelope
 * travels there.
 */
final class StructuredCloudEvent {

  private static final String DATA = "data";

  private final JsonMapper mapper;

  StructuredCloudEvent(JsonMapper mapper) {
    this.mapper = mapper;
  }

  String write(Envelope envelope, byte[] data) {
    ObjectNode event = mapper.createObjectNode();
    for (Map.Entry<String, String> attribute : CloudEventAttributes.of(envelope).entrySet()) {
      event.put(attribute.getKey(), attribute.getValue());
    }
    event.set(DATA, mapper.readTree(data));
    return mapper.writeValueAsString(event);
  }

  /**
   * @throws PoisonMessageException if the text is not a CloudEvent in JSON
   */
  DecodedMessage read(String json) {
    JsonNode event;
    try {
      event = mapper.readTree(json);
    } catch (JacksonException e) {
      throw new PoisonMessageException("Not a JSON CloudEvent: " + e.getOriginalMessage(), e);
    }
    if (!event.isObject()) {
      throw new PoisonMessageException("Not a JSON CloudEvent: not an object");
    }
    Envelope envelope =
        CloudEventAttributes.toEnvelope(
            name -> {
              JsonNode value = event.get(name);
              return value == null || value.isNull() ? null : value.asString();
            });
    JsonNode data = event.get(DATA);
    if (data == null) {
      throw new PoisonMessageException("CloudEvent " + envelope.id() + " has no data");
    }
    return new DecodedMessage(envelope, mapper.writeValueAsBytes(data));
  }
}
