package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.MessageHandler;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import dev.asyncshop.messaging.spi.Subscription;

/**
 * Finds the subscription's handler of the message's type. A topic carries many event types, and a
 * consumer group takes only those it cares about, so an event without handler is ignored; a command
 * or query without one was sent to the wrong service, and is dead-lettered.
 */
final class FindHandlerStep implements ConsumerStep {

  private final MessagingMetrics metrics;

  FindHandlerStep(MessagingMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    Route route = Steps.route(context);
    Subscription subscription = context.subscription();
    MessageHandler handler = subscription.handlerOf(route.type());
    if (handler == null) {
      if (route.kind() == MessageKind.EVENT) {
        metrics.consumed(
            subscription.transport().id(), subscription.destination(), route.type(), "ignored");
        return ConsumeResult.IGNORED;
      }
      throw new RejectedMessageException(
          DeadLetterReason.NO_HANDLER,
          new IllegalStateException(
              "No handler for " + route.type() + " in group " + subscription.group()));
    }
    context.handler(handler);
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.FIND_HANDLER;
  }
}
