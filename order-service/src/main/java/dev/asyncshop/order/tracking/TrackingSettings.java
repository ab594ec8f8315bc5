package dev.asyncshop.order.tracking;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live streams of order status.
 *
 * @param streamTimeout how long a stream stays open; the client reconnects with {@code
 *     Last-Event-ID} to go on where it was
 * @param catchUpInterval how often open streams are compared with the database, in case a broadcast
 *     was lost; a stream with nothing new gets a comment, which also finds closed clients
 */
@ConfigurationProperties("order.events")
record TrackingSettings(
    @DefaultValue("10m") Duration streamTimeout, @DefaultValue("10s") Duration catchUpInterval) {}
