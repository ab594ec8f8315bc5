package dev.asyncshop.messaging.core;

import java.util.concurrent.CompletableFuture;

/** Puts messages on one broker. One implementation per transport. */
public interface OutboundTransport {

  /** The transport name routes use, see {@link Transports}. */
  String name();

  /**
   * Sends the message. The future completes once the broker has taken it (confirm, ack), or
   * exceptionally with {@link dev.asyncshop.messaging.MessagePublishException}.
   */
  CompletableFuture<Void> send(OutboundMessage message);
}
