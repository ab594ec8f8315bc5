package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * New UUIDs, this service as source, and the flow of the message being handled, if any: its
 * correlation id, its id as cause, its trace and its principal. Outside a handler the principal is
 * the caller the {@link PrincipalSource} names.
 */
final class DefaultEnvelopeFactory implements EnvelopeFactory {

  private final String source;
  private final Clock clock;
  private final PrincipalSource principals;

  DefaultEnvelopeFactory(String serviceName, Clock clock, PrincipalSource principals) {
    this.source = "/asyncshop/" + serviceName;
    this.clock = clock;
    this.principals = principals;
  }

  @Override
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
        options.partitionKey(),
        principal(cause != null ? principalOf(cause) : principals.currentPrincipal()));
  }

  @Override
  public Envelope reply(Envelope query, String replyType, String dataContentType) {
    return new Envelope(
        UUID.randomUUID().toString(),
        source,
        replyType,
        clock.instant(),
        query.subject(),
        dataContentType,
        query.correlationId(),
        query.id(),
        childTraceparent(query.traceparent()),
        query.partitionKey(),
        principal(principalOf(query)));
  }

  private static @Nullable String principalOf(Envelope envelope) {
    return envelope.extension(CloudEventAttributes.PRINCIPAL);
  }

  private static Map<String, String> principal(@Nullable String name) {
    return name == null ? Map.of() : Map.of(CloudEventAttributes.PRINCIPAL, name);
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
