package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * The extension that names the master key an encrypted payload's data key is wrapped by; a
   * message without it travels in the clear.
   */
  public static final String ENCRYPTIONKEYID = "encryptionkeyid";

  /**
   * The extension that names who asked for the action a message is part of: the user or client of
   * the REST request that started it, by the name its access token gives ({@code sub}), carried on
   * to every message it causes. A name, never a credential; absent when the service acted on its
   * own (a timeout, a scheduled job).
   */
  public static final String PRINCIPAL = "principal";

  /**
   * The extension that orders the messages of one source: CloudEvents' {@code sequence}, a string
   * whose lexicographic order is the order the messages were written. The outbox gives each row's
   * place in its table, zero-padded to 19 digits; a message sent without the outbox has none.
   */
  public static final String SEQUENCE = "sequence";

  /**
   * The extension a replayed message carries: the parking lot's id of the dead letter it was
   * replayed from. With {@link #REPLAYEDBY} and {@link #REPLAYCOUNT}, the message's lineage.
   */
  public static final String REPLAYOF = "replayof";

  /** The extension naming the operator who replayed a message. */
  public static final String REPLAYEDBY = "replayedby";

  /** The extension counting a replayed message's replays: 1 the first time. */
  public static final String REPLAYCOUNT = "replaycount";

  private static final Set<String> FIELDS =
      Set.of(
          SPECVERSION,
          ID,
          SOURCE,
          TYPE,
          TIME,
          SUBJECT,
          DATACONTENTTYPE,
          CORRELATIONID,
          CAUSATIONID,
          TRACEPARENT,
          PARTITIONKEY,
          "data");

  private CloudEventAttributes() {}

  /** Every attribute that has a value, content type and extensions included. */
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
    attributes.putAll(envelope.extensions());
    return attributes;
  }

  /**
   * Reads an envelope back, with the extensions among the names present.
   *
   * @param attribute looks up an attribute by its CloudEvents name; {@code null} when absent
   * @param present the names of every attribute the message carries; those that are not fields of
   *     the envelope become its extensions, unless they are no extension name at all
   * @throws PoisonMessageException if a required attribute is missing or malformed
   */
  public static Envelope toEnvelope(
      Function<String, @Nullable String> attribute, Collection<String> present) {
    Envelope envelope = toEnvelope(attribute);
    Map<String, String> extensions = new TreeMap<>();
    for (String name : present) {
      String value = attribute.apply(name);
      if (!FIELDS.contains(name) && value != null && isExtensionName(name)) {
        extensions.put(name, value);
      }
    }
    if (extensions.isEmpty()) {
      return envelope;
    }
    return new Envelope(
        envelope.id(),
        envelope.source(),
        envelope.type(),
        envelope.time(),
        envelope.subject(),
        envelope.dataContentType(),
        envelope.correlationId(),
        envelope.causationId(),
        envelope.traceparent(),
        envelope.partitionKey(),
        extensions);
  }

  private static boolean isExtensionName(String name) {
    return name.length() <= 20
        && name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9');
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
