package dev.asyncshop.messaging.spi;

import java.util.concurrent.CompletableFuture;

/** A transport that can carry a query and bring its reply back. */
public interface RequestReplyTransport extends OutboundTransport {

  /**
   * Sends a query. The future completes with the reply, which may be the answering side's failure
   * ({@link Reply#failed()}), or exceptionally with {@link
   * dev.asyncshop.messaging.QueryTimeoutException} when none came within the route's timeout,
   * {@link dev.asyncshop.messaging.MessagePublishException} when the query could not be delivered,
   * or {@link dev.asyncshop.messaging.QueryFailedException} when the reply could not be read.
   */
  CompletableFuture<Reply> request(OutboundMessage query);
}
