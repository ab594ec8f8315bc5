package dev.asyncshop.order.saga;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the saga waits, and how it notices that it waited too long.
 *
 * @param stepTimeout how long each step (reservation, payment, shipment) may take before the order
 *     is compensated and cancelled
 * @param sweepInterval how often overdue orders are looked for; a step times out at most this much
 *     after its deadline
 * @param sweepBatchSize orders cancelled per sweeper transaction
 */
@ConfigurationProperties("order.saga")
public record SagaSettings(
    @DefaultValue("30s") Duration stepTimeout,
    @DefaultValue("1s") Duration sweepInterval,
    @DefaultValue("100") int sweepBatchSize) {}
