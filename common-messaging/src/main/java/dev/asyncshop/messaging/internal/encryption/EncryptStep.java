package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Encrypts the payload of every message on a route with {@code encrypt: true}, on every transport
 * and through the outbox, after the tracing span's step and before the signing step, so the
 * signature covers the ciphertext and the encryption attributes as they travel.
 */
final class EncryptStep implements PublisherStep {

  private final PayloadEncryption encryption;

  EncryptStep(PayloadEncryption encryption) {
    this.encryption = encryption;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    if (!message.route().encrypt()) {
      return next.publish(message);
    }
    PayloadEncryption.Encrypted encrypted;
    try {
      encrypted = encryption.encrypt(message.envelope(), message.data());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return next.publish(
        new OutboundMessage(message.route(), encrypted.envelope(), encrypted.ciphertext()));
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.ENCRYPT;
  }
}
