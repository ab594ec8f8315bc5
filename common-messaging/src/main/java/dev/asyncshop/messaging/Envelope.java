package dev.asyncshop.messaging;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The attributes every message carries: the CloudEvents context attributes plus the extensions this
 * project relies on. On Kafka and AMQP they travel as headers (binary mode); on Redis inside a
 * structured JSON document.
 *
 * @param id unique per message; redelivery and replay keep it, so it is the idempotency key
 * @param source the service that produced the message, as a URI reference
 * @param type the versioned message type, see {@link MessageType}
 * @param time when the message was produced
 * @param subject the entity the message is about, for example an order id
 * @param dataContentType the media type of the payload
 * @param correlationId shared by every message of one business flow
 * @param causationId the id of the message whose handling produced this one
 * @param traceparent W3C trace context of the producing span
 * @param partitionKey keeps messages about the same entity in order
 * @param extensions further CloudEvents extension attributes by name, such as the signature; they
 *     travel like the attributes above, on every transport
 */
public record Envelope(
    String id,
    String source,
    String type,
    Instant time,
    @Nullable String subject,
    String dataContentType,
    String correlationId,
    @Nullable String causationId,
    @Nullable String traceparent,
    @Nullable String partitionKey,
    Map<String, String> extensions) {

  /** The CloudEvents specification version of every envelope. */
  public static final String SPEC_VERSION = "1.0";

  /** Payloads are JSON. */
  public static final String JSON = "application/json";

  /** CloudEvents attribute names: lowercase letters and digits, at most 20 of them. */
  private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z0-9]{1,20}");

  /** Names the fields above already carry, so an extension cannot shadow them. */
  private static final Set<String> ATTRIBUTE_NAMES =
      Set.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "subject",
          "datacontenttype",
          "correlationid",
          "causationid",
          "traceparent",
          "partitionkey",
          "data",
          "data_base64");

  /**
   * @throws IllegalArgumentException if an extension's name is not a CloudEvents attribute name, or
   *     is the name of one of the fields
   */
  public Envelope {
    for (String name : extensions.keySet()) {
      if (!EXTENSION_NAME.matcher(name).matches() || ATTRIBUTE_NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' cannot be a CloudEvents extension of the envelope");
      }
    }
    extensions = Collections.unmodifiableMap(new TreeMap<>(extensions));
  }

  /** An envelope without extensions. */
  public Envelope(
      String id,
      String source,
      String type,
      Instant time,
      @Nullable String subject,
      String dataContentType,
      String correlationId,
      @Nullable String causationId,
      @Nullable String traceparent,
      @Nullable String partitionKey) {
    this(
        id,
        source,
        type,
        time,
        subject,
        dataContentType,
        correlationId,
        causationId,
        traceparent,
        partitionKey,
        Map.of());
  }

  /** The value of an extension, or {@code null} if the envelope has none of that name. */
  public @Nullable String extension(String name) {
    return extensions.get(name);
  }

  /** This envelope with one extension set, replacing any of the same name. */
  public Envelope withExtension(String name, String value) {
    Map<String, String> changed = new TreeMap<>(extensions);
    changed.put(name, value);
    return withExtensions(changed);
  }

  /** This envelope with one extension removed. */
  public Envelope withoutExtension(String name) {
    Map<String, String> changed = new TreeMap<>(extensions);
    changed.remove(name);
    return withExtensions(changed);
  }

  /** This envelope, extensions included, with another {@code traceparent}. */
  public Envelope withTraceparent(@Nullable String traceparent) {
    return new Envelope(
        id,
        source,
        type,
        time,
        subject,
        dataContentType,
        correlationId,
        causationId,
        traceparent,
        partitionKey,
        extensions);
  }

  private Envelope withExtensions(Map<String, String> changed) {
    return new Envelope(
        id,
        source,
        type,
        time,
        subject,
        dataContentType,
        correlationId,
        causationId,
        traceparent,
        partitionKey,
        changed);
  }
}
