package dev.asyncshop.order.placement;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much placing work one instance takes on at once.
 *
 * @param maxInFlight placements waiting for their answers or their transaction at one time; beyond
 *     it a request is refused at once with 503 and {@code Retry-After}. Each one waiting holds a
 *     RabbitMQ channel for its reply, so an unbounded number under overload exhausts the
 *     connection's channels and fails every placement instead of the surplus.
 * @param retryAfterSeconds what a refused client is told to wait before trying again
 */
@Validated
@ConfigurationProperties("order.placement")
public record PlacementSettings(
    @DefaultValue("64") @Positive int maxInFlight,
    @DefaultValue("1") @Positive int retryAfterSeconds) {}
