package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;

/** A message ready for its transport: where it goes, its envelope and its JSON payload. */
public record OutboundMessage(Route route, Envelope envelope, byte[] data) {}
