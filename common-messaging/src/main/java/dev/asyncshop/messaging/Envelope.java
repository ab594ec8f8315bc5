package dev.asyncshop.messaging;

import java.time.Instant;
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
    @Nullable String partitionKey) {

  /** The CloudEvents specification version of every envelope. */
  public static final String SPEC_VERSION = "1.0";

  /** Payloads are JSON. */
  public static final String JSON = "application/json";
}
