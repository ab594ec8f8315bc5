package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.AuditOutcome;
import dev.asyncshop.messaging.AuditRecord;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves the route of each message and hands it to the route's transport, tracked. */
public final class DefaultMessageGateway implements MessageGateway {

  private static final Logger log = LoggerFactory.getLogger(DefaultMessageGateway.class);

  private final RouteTable routes;
  private final Map<String, OutboundTransport> transports;
  private final EnvelopeFactory envelopes;
  private final PayloadCodec codec;
  private final AuditTrail audit;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  public DefaultMessageGateway(
      RouteTable routes,
      Map<String, OutboundTransport> transports,
      EnvelopeFactory envelopes,
      PayloadCodec codec,
      AuditTrail audit,
      MessagingMetrics metrics,
      String serviceName,
      Clock clock) {
    this.routes = routes;
    this.transports = Map.copyOf(transports);
    this.envelopes = envelopes;
    this.codec = codec;
    this.audit = audit;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  @Override
  public void publish(Object event, MessageOptions options) {
    await(dispatch(prepare(event, options, MessageKind.EVENT)));
  }

  @Override
  public void send(Object command, MessageOptions options) {
    await(dispatch(prepare(command, options, MessageKind.COMMAND)));
  }

  @Override
  public void broadcast(Object notice, MessageOptions options) {
    await(dispatch(prepare(notice, options, MessageKind.BROADCAST)));
  }

  @Override
  public CompletableFuture<Void> fireAndForget(Object message, MessageOptions options) {
    OutboundMessage outbound = prepare(message, options, null);
    if (outbound.route().kind() == MessageKind.QUERY) {
      throw new IllegalArgumentException(
          "A query waits for its reply; use ask() for " + outbound.route().type());
    }
    return dispatch(outbound)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                log.warn(
                    "Fire-and-forget {} {} was not taken by the broker: {}",
                    outbound.envelope().type(),
                    outbound.envelope().id(),
                    failure.toString());
              }
            });
  }

  @Override
  public <R> CompletableFuture<R> ask(Object query, Class<R> replyType, MessageOptions options) {
    OutboundMessage outbound = prepare(query, options, MessageKind.QUERY);
    OutboundTransport transport = transportOf(outbound.route());
    if (!(transport instanceof RequestReplyTransport requestReply)) {
      throw new IllegalStateException(
          "Transport " + transport.name() + " cannot carry the query " + outbound.route().type());
    }
    long start = System.nanoTime();
    return requestReply
        .request(outbound)
        .whenComplete((reply, failure) -> tracked(outbound, start, failure))
        .thenApply(reply -> codec.read(reply, replyType));
  }

  private OutboundMessage prepare(
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

  private CompletableFuture<Void> dispatch(OutboundMessage outbound) {
    long start = System.nanoTime();
    CompletableFuture<Void> sent;
    try {
      sent = transportOf(outbound.route()).send(outbound);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete((ok, failure) -> tracked(outbound, start, failure));
  }

  private void tracked(OutboundMessage outbound, long startNanos, @Nullable Throwable failure) {
    Route route = outbound.route();
    Envelope envelope = outbound.envelope();
    boolean success = failure == null;
    metrics.published(
        route.transport(), route.destination(), route.type(), success ? "success" : "failure");
    audit.record(
        new AuditRecord(
            envelope.id(),
            envelope.type(),
            route.kind(),
            route.transport(),
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

  private static void await(CompletableFuture<Void> sent) {
    try {
      sent.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessagePublishException("Interrupted while waiting for the broker", e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new MessagePublishException(cause.getMessage(), cause);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof ExecutionException || current instanceof CompletionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
