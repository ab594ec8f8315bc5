package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.RequestReplyTransport;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Hands a prepared message through the publisher steps to its route's transport, whoever sends it:
 * the gateway, the outbox relay, or a query's answer. The chain of each transport is linked once.
 */
public final class MessageDispatcher {

  private final Map<Transport, OutboundTransport> transports;
  private final PublisherSteps steps;
  private final ReplyReceipts replies;
  private final Map<Transport, PublisherStep.Chain> sends = new EnumMap<>(Transport.class);

  MessageDispatcher(
      Map<Transport, OutboundTransport> transports, PublisherSteps steps, ReplyReceipts replies) {
    this.transports = Map.copyOf(transports);
    this.steps = steps;
    this.replies = replies;
    for (Transport transport : Transport.values()) {
      OutboundTransport target = transports.get(transport);
      sends.put(
          transport,
          steps.around(
              target != null
                  ? target::send
                  : message -> {
                    throw new IllegalStateException("No " + transport + " transport is configured");
                  }));
    }
  }

  /** Sends; the future completes when the broker has the message. */
  public CompletableFuture<Void> dispatch(OutboundMessage outbound) {
    return sends.get(outbound.route().transport()).publish(outbound);
  }

  /**
   * Sends through the steps with a send of the caller's own, for messages that do not go to a
   * route's destination, such as a reply to its asker.
   */
  CompletableFuture<Void> dispatch(OutboundMessage outbound, PublisherStep.Chain send) {
    return steps.around(send).publish(outbound);
  }

  /**
   * Sends a query; the future completes with the reply, after the steps saw the query's outcome and
   * the reply was counted and audited as received.
   */
  CompletableFuture<Reply> request(OutboundMessage query) {
    Route route = query.route();
    OutboundTransport transport = transports.get(route.transport());
    if (!(transport instanceof RequestReplyTransport requestReply)) {
      throw new IllegalStateException(
          "Transport " + route.transport() + " cannot carry the query " + route.type());
    }
    long start = System.nanoTime();
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    CompletableFuture<Void> sent =
        dispatch(
            query,
            message ->
                requestReply
                    .request(message)
                    .whenComplete(
                        (answer, failure) -> {
                          if (failure == null) {
                            reply.complete(answer);
                          } else {
                            reply.completeExceptionally(unwrap(failure));
                          }
                        })
                    .thenApply(answer -> null));
    return sent.thenCompose(answered -> reply)
        .thenApply(
            answer -> {
              replies.received(query, answer, Steps.elapsedSince(start));
              return answer;
            });
  }

  /** The exception inside the future's wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof ExecutionException || current instanceof CompletionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
