package dev.asyncshop.messaging.internal.signing;

import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/**
 * Signs every message this service sends, on every transport: events, commands, queries, their
 * replies, broadcasts and outbox sends. It runs after the tracing span's step and before the
 * transport, so the signature covers the trace context and every attribute that travels.
 */
final class SignStep implements PublisherStep {

  private final MessageSignatures signatures;

  SignStep(MessageSignatures signatures) {
    this.signatures = signatures;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    return next.publish(
        new OutboundMessage(
            message.route(), signatures.sign(message.envelope(), message.data()), message.data()));
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.SIGN;
  }
}
