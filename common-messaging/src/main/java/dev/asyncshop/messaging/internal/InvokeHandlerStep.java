package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.MessageHandler;

/**
 * Runs the handler. The handler's exception propagates unchanged. It runs as the handling of the
 * message ({@link dev.asyncshop.messaging.spi.CurrentMessage}) because {@link RetryStep} sets that
 * around each run, wider than the handler: the duplicate check's transaction commits after the
 * handler returned, and what is sent on that commit belongs to the message's flow too.
 */
final class InvokeHandlerStep implements ConsumerStep {

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    MessageHandler handler = Steps.handler(context);
    Object payload = Steps.payload(context);
    Envelope envelope = Steps.envelope(context);
    context.result(handler.invoke(payload, envelope));
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.INVOKE_HANDLER;
  }
}
