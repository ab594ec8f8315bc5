package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.OutboundMessage;

/**
 * Encrypts the payload of a message on an encrypted route before the outbox stores it, so the table
 * never holds it in the clear while it waits to be sent or is kept after. The message then carries
 * its encryption attributes, and the encrypting publisher step sends it as it is.
 */
@FunctionalInterface
public interface OutboxEncryption {

  /** The message, encrypted if its route says {@code encrypt: true}. */
  OutboundMessage encrypt(OutboundMessage message);
}
