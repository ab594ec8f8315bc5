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

  OutboundMessages(RouteTable routes, EnvelopeFactory envelopes, PayloadCodec codec) {
    this.routes = routes;
    this.envelopes = envelopes;
    this.codec = codec;
  }

  /**
   * @param expected the kind the caller's method sends, or {@code null} for any kind
   * @throws IllegalArgumentException if the message is routed as another kind
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
    Envelope envelope = envelopes.create(type, options);
    return new OutboundMessage(route, envelope, codec.write(message));
  }

  public RouteTable routes() {
    return routes;
  }
}
