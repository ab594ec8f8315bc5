package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The CloudEvents JSON event format (structured mode): attributes are top-level members and the
 * payload is the {@code data} member. Redis pub/sub has no headers, so this is how the envelope
 * travels there.
 *
 * <p>The payload is written as it is and read back as the exact text of the {@code data} member,
 * not parsed and written again: a signature covers the payload's bytes, and re-encoding JSON may
 * change them (number forms, escapes) without changing its meaning. A payload that is not JSON (an
 * encrypted one) travels as {@code data_base64}, as the format provides for binary data.
 */
final class StructuredCloudEvent {

  private static final String DATA = "data";
  private static final String DATA_BASE64 = "data_base64";

  private final JsonMapper mapper;

  StructuredCloudEvent(JsonMapper mapper) {
    this.mapper = mapper;
  }

  String write(Envelope envelope, byte[] data) {
    ObjectNode event = mapper.createObjectNode();
    for (Map.Entry<String, String> attribute : CloudEventAttributes.of(envelope).entrySet()) {
      event.put(attribute.getKey(), attribute.getValue());
    }
    if (envelope.extension(CloudEventAttributes.ENCRYPTIONKEYID) != null) {
      event.put(DATA_BASE64, Base64.getEncoder().encodeToString(data));
      return mapper.writeValueAsString(event);
    }
    mapper.readTree(data); // refuses a payload that is not JSON before it is embedded as it is
    event.putRawValue(DATA, new RawValue(new String(data, StandardCharsets.UTF_8)));
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
    List<String> present = new ArrayList<>();
    event.propertyNames().forEach(present::add);
    Envelope envelope =
        CloudEventAttributes.toEnvelope(
            name -> {
              JsonNode value = event.get(name);
              return value == null || value.isNull() || value.isContainer()
                  ? null
                  : value.asString();
            },
            present);
    JsonNode binary = event.get(DATA_BASE64);
    if (binary != null && event.get(DATA) == null) {
      try {
        return new DecodedMessage(envelope, Base64.getDecoder().decode(binary.asString()));
      } catch (IllegalArgumentException e) {
        throw new PoisonMessageException(
            "CloudEvent " + envelope.id() + " has data_base64 that is not base64");
      }
    }
    if (event.get(DATA) == null) {
      throw new PoisonMessageException("CloudEvent " + envelope.id() + " has no data");
    }
    return new DecodedMessage(envelope, dataText(json).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The text of the top-level {@code data} member, as it is in the document: from where its value
   * starts to where the next member or the end of the object starts, without the separator.
   */
  private String dataText(String json) {
    try (JsonParser parser = mapper.createParser(json)) {
      parser.nextToken(); // the start of the object
      JsonToken token = parser.nextToken();
      while (token == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        token = parser.nextToken(); // the next member's name, or the end of the object
        if (DATA.equals(name)) {
          String text =
              json.substring(start, (int) parser.currentTokenLocation().getCharOffset()).strip();
          return (text.endsWith(",") ? text.substring(0, text.length() - 1) : text).strip();
        }
      }
    }
    throw new PoisonMessageException("Not a JSON CloudEvent: no data member");
  }
}
