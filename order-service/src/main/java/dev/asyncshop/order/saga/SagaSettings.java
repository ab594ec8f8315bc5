package dev.asyncshop.order.saga;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the saga waits, and how it notices that it waited too long.
 *
 * @param stepTimeout how long the reservation and the payment may each take before the order is
 *     compensated and cancelled, in saga time ({@link SagaClock}), which does not count broker
 *     outages; a confirmed order has no deadline, since shipping is asked to ship it and a late
 *     shipment still ships
 * @param sweepInterval how often overdue orders are looked for; a step times out at most this much
 *     after its deadline
 * @param sweepBatchSize orders cancelled per sweeper transaction
 * @param recoveryGrace how long an instance must reach its brokers without a break before it moves
 *     saga time (see {@link SagaClock}): after an outage, long enough for the answers that waited
 *     in the other services' outboxes, and this service's consumers' backlog, to arrive first
 * @param backlogLimit the most answers that may wait unread on Kafka for this service while saga
 *     time moves: above it, saga time stands still until this service has read them, so a backlog
 *     of its own (after an outage, or while it is starved of CPU) never cancels an order whose
 *     answer has arrived
 */
@ConfigurationProperties("order.saga")
public record SagaSettings(
    @DefaultValue("30s") Duration stepTimeout,
    @DefaultValue("1s") Duration sweepInterval,
    @DefaultValue("100") int sweepBatchSize,
    @DefaultValue("15s") Duration recoveryGrace,
    @DefaultValue("100") long backlogLimit) {}
