package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The envelope as CloudEvents attribute names and string values, which each transport then writes
 * in its own binding: {@code ce_} headers on Kafka, {@code cloudEvents_} application properties on
 * AMQP, top-level members of a JSON document on Redis.
 */
public final class CloudEventAttributes {

  public static final String SPECVERSION = "specversion";
  public static final String ID = "id";
  public static final String SOURCE = "source";
  public static final String TYPE = "type";
  public static final String TIME = "time";
  public static final String SUBJECT = "subject";
  public static final String DATACONTENTTYPE = "datacontenttype";
  public static final String CORRELATIONID = "correlationid";
  public static final String CAUSATIONID = "causationid";
  public static final String TRACEPARENT = "traceparent";
  public static final String PARTITIONKEY = "partitionkey";

  private CloudEventAttributes() {}

  /** Every attribute that has a value; content type included. */
  public static Map<String, String> of(Envelope envelope) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(SPECVERSION, Envelope.SPEC_VERSION);
    attributes.put(ID, envelope.id());
    attributes.put(SOURCE, envelope.source());
    attributes.put(TYPE, envelope.type());
    attributes.put(TIME, envelope.time().toString());
    putIfPresent(attributes, SUBJECT, envelope.subject());
    attributes.put(DATACONTENTTYPE, envelope.dataContentType());
    attributes.put(CORRELATIONID, envelope.correlationId());
    putIfPresent(attributes, CAUSATIONID, envelope.causationId());
    putIfPresent(attributes, TRACEPARENT, envelope.traceparent());
    putIfPresent(attributes, PARTITIONKEY, envelope.partitionKey());
    return attributes;
  }

  /**
   * Reads an envelope back.
   *
   * @param attribute looks up an attribute by its CloudEvents name; {@code null} when absent
   * @throws PoisonMessageException if a required attribute is missing or malformed
   */
  public static Envelope toEnvelope(Function<String, @Nullable String> attribute) {
    String specVersion = required(attribute, SPECVERSION);
    if (!Envelope.SPEC_VERSION.equals(specVersion)) {
      throw new PoisonMessageException("Unsupported CloudEvents specversion '" + specVersion + "'");
    }
    String id = required(attribute, ID);
    String time = attribute.apply(TIME);
    String contentType = attribute.apply(DATACONTENTTYPE);
    String correlationId = attribute.apply(CORRELATIONID);
    return new Envelope(
        id,
        required(attribute, SOURCE),
        required(attribute, TYPE),
        time == null ? Instant.now() : parseTime(time),
        attribute.apply(SUBJECT),
        contentType == null ? Envelope.JSON : contentType,
        correlationId == null ? id : correlationId,
        attribute.apply(CAUSATIONID),
        attribute.apply(TRACEPARENT),
        attribute.apply(PARTITIONKEY));
  }

  private static String required(Function<String, @Nullable String> attribute, String name) {
    String value = attribute.apply(name);
    if (value == null || value.isBlank()) {
      throw new PoisonMessageException("Missing CloudEvents attribute '" + name + "'");
    }
    return value;
  }

  private static Instant parseTime(String time) {
    try {
      return Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new PoisonMessageException("CloudEvents attribute 'time' is not RFC 3339: " + time, e);
    }
  }

  private static void putIfPresent(
      Map<String, String> attributes, String name, @Nullable String v) {
    if (v != null) {
      attributes.put(name, v);
    }
  }
}
