package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PayloadCodec;
import org.jspecify.annotations.Nullable;

/** Turns a message record into an {@link OutboundMessage}: its route, envelope and JSON. */
public final class OutboundMessages {

  private final RouteTable routes;
  private final EnvelopeFactory envelopes;
  private final PayloadCodec codec;
  private final long maxPayloadBytes;

  OutboundMessages(
      RouteTable routes, EnvelopeFactory envelopes, PayloadCodec codec, long maxPayloadBytes) {
    this.routes = routes;
    this.envelopes = envelopes;
    this.codec = codec;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * @param expected the kind the caller's method sends, or {@code null} for any kind
   * @throws IllegalArgumentException if the message is routed as another kind, or its payload is
   *     over {@code messaging.max-payload-size}
   */
  public OutboundMessage prepare(
      Object message, MessageOptions options, @Nullable MessageKind expected) {
    String type = MessageTypes.of(message.getClass());
    Route route = routes.get(type);
    if (expected != null && route.kind() != expected) {
      throw new IllegalArgumentException(
          "%s is routed as a %s, not a %s; use the gateway method for a %s"
              .formatted(
                  type,
                  route.kind().name().toLowerCase(),
                  expected.name().toLowerCase(),
                  route.kind().name().toLowerCase()));
    }
    byte[] data = codec.write(message);
    if (data.length > maxPayloadBytes) {
      throw new IllegalArgumentException(
          "%s of %d bytes is over messaging.max-payload-size (%d bytes); send a reference to large"
                  .formatted(type, data.length, maxPayloadBytes)
              + " data instead");
    }
    Envelope envelope = envelopes.create(type, options);
    return new OutboundMessage(route, envelope, data);
  }

  public RouteTable routes() {
    return routes;
  }
}
