package dev.asyncshop.messaging.core;

import java.util.concurrent.CompletableFuture;

/** A transport that can carry a query and bring its reply back. */
public interface RequestReplyTransport extends OutboundTransport {

  /**
   * Sends a query; the future completes with the reply payload, or exceptionally with {@link
   * dev.asyncshop.messaging.QueryTimeoutException}, {@link
   * dev.asyncshop.messaging.QueryFailedException} or {@link
   * dev.asyncshop.messaging.MessagePublishException}.
   */
  CompletableFuture<byte[]> request(OutboundMessage query);
}
