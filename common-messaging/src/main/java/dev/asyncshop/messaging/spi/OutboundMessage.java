package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;

/**
 * A message ready for its transport: where it goes, its envelope and its payload.
 *
 * @param route the route: transport, destination, kind and, for queries, the timeout
 * @param envelope the CloudEvents attributes
 * @param data the payload, JSON unless the payload codec was replaced
 */
public record OutboundMessage(Route route, Envelope envelope, byte[] data) {}
