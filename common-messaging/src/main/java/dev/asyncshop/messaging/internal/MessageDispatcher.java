package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.Reply;
import dev.asyncshop.messaging.spi.RequestReplyTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Hands a prepared message to its route's transport and tracks the outcome: a published counter and
 * an audit record for every send, whoever sends (the gateway or the outbox relay).
 */
public final class MessageDispatcher {

  private final Map<Transport, OutboundTransport> transports;
  private final AuditTrail audit;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  MessageDispatcher(
      Map<Transport, OutboundTransport> transports,
      AuditTrail audit,
      MessagingMetrics metrics,
      String serviceName,
      Clock clock) {
    this.transports = Map.copyOf(transports);
    this.audit = audit;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  /** Sends; the future completes when the broker has the message. */
  public CompletableFuture<Void> dispatch(OutboundMessage outbound) {
    long start = System.nanoTime();
    CompletableFuture<Void> sent;
    try {
      sent = transportOf(outbound.route()).send(outbound);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((ok, failure) -> tracked(outbound, start, failure));
  }

  /** Sends a query; the future completes with the reply. */
  public CompletableFuture<Reply> request(OutboundMessage query) {
    OutboundTransport transport = transportOf(query.route());
    if (!(transport instanceof RequestReplyTransport requestReply)) {
      throw new IllegalStateException(
          "Transport " + transport.transport() + " cannot carry the query " + query.route().type());
    }
    long start = System.nanoTime();
    return requestReply
        .request(query)
        .whenComplete((reply, failure) -> tracked(query, start, failure));
  }

  private void tracked(OutboundMessage outbound, long startNanos, @Nullable Throwable failure) {
    Route route = outbound.route();
    Envelope envelope = outbound.envelope();
    boolean success = failure == null;
    metrics.published(
        route.transport().id(), route.destination(), route.type(), success ? "success" : "failure");
    audit.record(
        new AuditRecord(
            envelope.id(),
            envelope.type(),
            route.kind(),
            route.transport().id(),
            route.destination(),
            envelope.correlationId(),
            serviceName,
            success ? AuditOutcome.PUBLISHED : AuditOutcome.PUBLISH_FAILED,
            0,
            Duration.ofNanos(System.nanoTime() - startNanos),
            clock.instant(),
            success ? null : unwrap(failure).toString()));
  }

  private OutboundTransport transportOf(Route route) {
    OutboundTransport transport = transports.get(route.transport());
    if (transport == null) {
      throw new IllegalStateException("No " + route.transport() + " transport is configured");
    }
    return transport;
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
