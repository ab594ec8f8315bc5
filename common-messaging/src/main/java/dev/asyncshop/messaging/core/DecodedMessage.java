package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.Envelope;

/** A message whose envelope was read from its transport's format; the payload is still JSON. */
public record DecodedMessage(Envelope envelope, byte[] data) {}
