package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;

/**
 * A message whose envelope was read from its transport's format; the payload is not read yet.
 *
 * @param envelope the CloudEvents attributes
 * @param data the payload as it arrived
 */
public record DecodedMessage(Envelope envelope, byte[] data) {}
