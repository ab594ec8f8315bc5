package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.IdempotencyStore;

/**
 * Runs the rest of the pipeline only if the consumer group has not handled the message yet, and
 * records it as handled when it succeeds. For events and commands: a query is answered again, and a
 * broadcast is never redelivered. Not for a local table either: it applies the last state of a key,
 * which is harmless twice, and it reads its whole topic again at every start. Nor for a projection,
 * which keeps where it got to in the transaction of its writes.
 */
final class SkipDuplicateStep implements ConsumerStep {

  private final IdempotencyStore store;

  SkipDuplicateStep(IdempotencyStore store) {
    this.store = store;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    MessageKind kind = Steps.route(context).kind();
    if ((kind != MessageKind.EVENT && kind != MessageKind.COMMAND)
        || !context.subscription().deduplicated()) {
      return next.proceed(context);
    }
    Holder handled = new Holder();
    IdempotencyStore.Outcome outcome =
        store.runOnce(
            context.subscription().group(),
            Steps.envelope(context).id(),
            () -> handled.result = next.proceed(context));
    return outcome == IdempotencyStore.Outcome.DUPLICATE ? ConsumeResult.DUPLICATE : handled.result;
  }

  /** What the steps inside returned, out of the store's {@link Runnable}. */
  private static final class Holder {
    ConsumeResult result = ConsumeResult.HANDLED;
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.SKIP_DUPLICATE;
  }
}
