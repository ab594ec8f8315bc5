package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.PayloadCodec;

/** Reads the payload into the handler's record, once, before any attempt. */
final class ReadPayloadStep implements ConsumerStep {

  private final PayloadCodec codec;

  ReadPayloadStep(PayloadCodec codec) {
    this.codec = codec;
  }

  /**
   * @throws dev.asyncshop.messaging.spi.PoisonMessageException if the payload does not bind
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    context.payload(
        codec.read(Steps.message(context).data(), Steps.handler(context).payloadType()));
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.READ_PAYLOAD;
  }
}
