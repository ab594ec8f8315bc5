package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.CurrentMessage;
import dev.asyncshop.messaging.spi.MessageHandler;

/**
 * Runs the handler, as the handling of this message on this thread ({@link CurrentMessage}), so
 * that what it sends joins the message's flow. The handler's exception propagates unchanged.
 */
final class InvokeHandlerStep implements ConsumerStep {

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    MessageHandler handler = Steps.handler(context);
    Object payload = Steps.payload(context);
    Envelope envelope = Steps.envelope(context);
    context.result(CurrentMessage.runWith(envelope, () -> handler.invoke(payload, envelope)));
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.INVOKE_HANDLER;
  }
}
