package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Counts and audits a reply where its asker receives it, like any consumed message: {@code
 * messaging.consumed} ({@code handled}, or {@code failed} when the query failed) and the end-to-end
 * latency under the reply type of the query's route, and a {@code RECEIVED} record naming the
 * failure, if the query failed. The type tag is this service's word for the reply, never the type
 * the answering service wrote, so another service cannot add tags here. Replies skip the consumer
 * pipeline: nobody else may take them, and the caller waiting on the future is their handler; the
 * {@link ReplyCheck}s stand in for the pipeline's security steps, before any of this.
 */
final class ReplyReceipts {

  private final MessagingMetrics metrics;
  private final AuditTrail audit;
  private final Clock clock;
  private final List<ReplyCheck> checks;

  ReplyReceipts(MessagingMetrics metrics, AuditTrail audit, Clock clock, List<ReplyCheck> checks) {
    this.metrics = metrics;
    this.audit = audit;
    this.clock = clock;
    this.checks = List.copyOf(checks);
  }

  /**
   * @param waited from sending the query to receiving the reply
   * @throws dev.asyncshop.messaging.QueryFailedException if a check refuses the reply
   */
  void received(OutboundMessage query, Reply reply, Duration waited) {
    Route route = query.route().reply();
    for (ReplyCheck check : checks) {
      check.check(route, reply);
    }
    String transport = route.transport().id();
    String type = route.type();
    metrics.consumed(transport, route.destination(), type, reply.failed() ? "failed" : "handled");
    metrics.endToEndLatency(
        transport,
        route.destination(),
        type,
        Duration.between(reply.envelope().time(), clock.instant()));
    audit.record(
        route,
        reply.envelope(),
        AuditOutcome.RECEIVED,
        waited,
        reply.failed() ? new String(reply.data(), StandardCharsets.UTF_8) : null);
  }
}
