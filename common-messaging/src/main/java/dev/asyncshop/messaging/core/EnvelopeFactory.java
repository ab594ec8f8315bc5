package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;
import java.time.Clock;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Fills in the envelope of an outgoing message. */
public final class EnvelopeFactory {

  private final String source;
  private final Clock clock;

  public EnvelopeFactory(String serviceName, Clock clock) {
    this.source = "/asyncshop/" + serviceName;
    this.clock = clock;
  }

  public Envelope create(String type, MessageOptions options) {
    String id = UUID.randomUUID().toString();
    Envelope cause = CurrentMessage.get();
    String correlationId =
        options.correlationId() != null
            ? options.correlationId()
            : cause != null ? cause.correlationId() : id;
    return new Envelope(
        id,
        source,
        type,
        clock.instant(),
        options.subject(),
        Envelope.JSON,
        correlationId,
        cause != null ? cause.id() : null,
        childTraceparent(cause != null ? cause.traceparent() : null),
        options.partitionKey());
  }

  /**
   * A W3C traceparent for the new message: the cause's trace with a new span id, or a new trace.
   */
  static String childTraceparent(@Nullable String parent) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String spanId = HexFormat.of().toHexDigits(random.nextLong() | 1L);
    if (parent != null && parent.length() == 55 && parent.startsWith("00-")) {
      return parent.substring(0, 36) + spanId + parent.substring(52);
    }
    String traceId =
        HexFormat.of().toHexDigits(random.nextLong())
            + HexFormat.of().toHexDigits(random.nextLong());
    return "00-" + traceId + "-" + spanId + "-01";
  }
}
