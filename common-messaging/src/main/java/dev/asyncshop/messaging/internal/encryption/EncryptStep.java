package dev.asyncshop.messaging.internal.encryption;

import dev.asyncshop.messaging.internal.OutboxEncryption;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Encrypts the payload of every message on a route with {@code encrypt: true}, on every transport,
 * after the tracing span's step and before the signing step, so the signature covers the ciphertext
 * and the encryption attributes as they travel. The outbox has its messages encrypted before it
 * stores them; they come here already encrypted and pass as they are.
 */
final class EncryptStep implements PublisherStep, OutboxEncryption {

  private final PayloadEncryption encryption;

  EncryptStep(PayloadEncryption encryption) {
    this.encryption = encryption;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    OutboundMessage encrypted;
    try {
      encrypted = encrypt(message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return next.publish(encrypted);
  }

  /**
   * @throws IllegalStateException if no master key is active for the message's type
   */
  @Override
  public OutboundMessage encrypt(OutboundMessage message) {
    if (!message.route().encrypt() || PayloadEncryption.isEncrypted(message.envelope())) {
      return message;
    }
    PayloadEncryption.Encrypted encrypted = encryption.encrypt(message.envelope(), message.data());
    return new OutboundMessage(message.route(), encrypted.envelope(), encrypted.ciphertext());
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.ENCRYPT;
  }
}
