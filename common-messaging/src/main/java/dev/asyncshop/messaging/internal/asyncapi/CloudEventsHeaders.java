package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The envelope of {@link Envelope} as each transport carries it, as schemas: {@code ce_} headers on
 * Kafka (the CloudEvents Kafka binding, binary mode, content type in {@code content-type}), {@code
 * cloudEvents_} application properties on AMQP (content type in the message's content-type
 * property), and the members of a structured JSON CloudEvent on Redis, with the payload as {@code
 * data}.
 */
final class CloudEventsHeaders {

  static final String KAFKA = "CloudEventsKafkaHeaders";
  static final String AMQP = "CloudEventsAmqpHeaders";
  static final String STRUCTURED = "CloudEventsStructured";

  /** Name, whether every message carries it, and what it means. */
  private record Attribute(String name, boolean required, String description, String format) {}

  private static final List<Attribute> ATTRIBUTES =
      List.of(
          new Attribute("specversion", true, "CloudEvents version, always 1.0", ""),
          new Attribute(
              "id",
              true,
              "unique per message; redelivery and replay keep it (idempotency key)",
              ""),
          new Attribute("source", true, "the producing service, /asyncshop/<service>", ""),
          new Attribute("type", true, "the versioned message type, such as order.placed.v1", ""),
          new Attribute("time", true, "when the message was produced", "date-time"),
          new Attribute("subject", false, "the entity the message is about, e.g. an order id", ""),
          new Attribute("datacontenttype", true, "the payload's media type, application/json", ""),
          new Attribute("correlationid", true, "shared by every message of one business flow", ""),
          new Attribute(
              "causationid", false, "the id of the message whose handling produced this one", ""),
          new Attribute("traceparent", false, "W3C trace context of the producing span", ""),
          new Attribute(
              "partitionkey", false, "keeps messages about one entity in order (Kafka key)", ""),
          new Attribute(
              "sequence",
              false,
              "on a message sent through the outbox, its place in the order the sending service"
                  + " wrote them (zero-padded, so text order is write order); orders one key's messages",
              ""),
          new Attribute(
              "principal",
              false,
              "the user or client (token subject) whose request started the flow; never a"
                  + " credential",
              ""),
          new Attribute(
              "signaturekeyid",
              false,
              "the id of the sending service's key that made the signature",
              ""),
          new Attribute(
              "signature",
              false,
              "Ed25519 signature (base64) over every other attribute and the payload; README,"
                  + " Security",
              ""),
          new Attribute(
              "encryptionkeyid",
              false,
              "on an encrypted payload: the id of the master key that wrapped its data key",
              ""),
          new Attribute(
              "encrypteddatakey",
              false,
              "on an encrypted payload: its AES-256 data key wrapped by the master key (RFC 3394),"
                  + " base64",
              ""),
          new Attribute(
              "encryptionnonce",
              false,
              "on an encrypted payload: the 96-bit AES-GCM nonce, base64",
              ""));

  private CloudEventsHeaders() {}

  /** The three schemas, by their name under {@code components.schemas}. */
  static Map<String, Object> schemas() {
    return Map.of(
        KAFKA, headers("ce_", "content-type"),
        AMQP, headers("cloudEvents_", null),
        STRUCTURED, structured());
  }

  /** Where a message's correlation id is, as an AsyncAPI runtime expression. */
  static String correlationIdLocation(Transport transport) {
    return switch (transport) {
      case KAFKA -> "$message.header#/ce_correlationid";
      case RABBITMQ -> "$message.header#/cloudEvents_correlationid";
      case REDIS -> "$message.payload#/correlationid";
    };
  }

  /**
   * @param contentType the header that holds the content type; {@code null} where it is a property
   *     of the message rather than a header
   */
  private static Map<String, Object> headers(String prefix, @Nullable String contentType) {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Attribute attribute : ATTRIBUTES) {
      boolean isContentType = attribute.name().equals("datacontenttype");
      if (isContentType && contentType == null) {
        continue;
      }
      String name = isContentType ? contentType : prefix + attribute.name();
      properties.put(name, property(attribute));
      if (attribute.required()) {
        required.add(name);
      }
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    if (contentType == null) {
      schema.put("description", "The content type travels as the message's content-type property");
    }
    schema.put("properties", properties);
    schema.put("required", required);
    return schema;
  }

  private static Map<String, Object> structured() {
    Map<String, Object> properties = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Attribute attribute : ATTRIBUTES) {
      properties.put(attribute.name(), property(attribute));
      if (attribute.required()) {
        required.add(attribute.name());
      }
    }
    properties.put("data", Map.of("description", "the message's payload"));
    properties.put(
        "data_base64",
        Map.of("type", "string", "description", "an encrypted payload, base64, in place of data"));
    return Map.of(
        "type",
        "object",
        "description",
        "A CloudEvent in the JSON event format (structured mode): Redis pub/sub has no headers",
        "properties",
        properties,
        "required",
        required,
        "oneOf",
        List.of(Map.of("required", List.of("data")), Map.of("required", List.of("data_base64"))));
  }

  private static Map<String, Object> property(Attribute attribute) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("type", "string");
    property.put("description", attribute.description());
    if (!attribute.format().isEmpty()) {
      property.put("format", attribute.format());
    }
    if (attribute.name().equals("specversion")) {
      property.put("const", Envelope.SPEC_VERSION);
    }
    return property;
  }
}
