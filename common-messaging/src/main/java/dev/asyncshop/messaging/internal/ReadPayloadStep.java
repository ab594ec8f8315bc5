package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.PoisonMessageException;

/**
 * Reads the payload into the handler's record, once, before any attempt; a payload over {@code
 * messaging.max-payload-size} is not parsed at all.
 */
final class ReadPayloadStep implements ConsumerStep {

  private final PayloadCodec codec;
  private final long maxPayloadBytes;

  ReadPayloadStep(PayloadCodec codec, long maxPayloadBytes) {
    this.codec = codec;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * @throws PoisonMessageException if the payload is too large or does not bind
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    byte[] data = Steps.message(context).data();
    if (data.length > maxPayloadBytes) {
      throw new PoisonMessageException(
          "The payload of %d bytes is over messaging.max-payload-size (%d bytes)"
              .formatted(data.length, maxPayloadBytes));
    }
    context.payload(codec.read(data, Steps.handler(context).payloadType()));
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.READ_PAYLOAD;
  }
}
