package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Transport;
import java.util.concurrent.CompletableFuture;

/**
 * Puts messages on one broker; one bean per {@link Transport}. Routes may use a transport only when
 * a bean of this type serves it.
 */
public interface OutboundTransport {

  /** The transport this bean serves. */
  Transport transport();

  /**
   * Sends the message to {@code message.route().destination()}. The future completes once the
   * broker has taken it (confirm, ack), or exceptionally with {@link
   * dev.asyncshop.messaging.MessagePublishException}.
   */
  CompletableFuture<Void> send(OutboundMessage message);
}
