package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DecodedMessage;
import java.util.Objects;

/**
 * Notes each message a handler ran for, or whose duplicate the group skipped, with its attempts. It
 * only looks: it sits after the payload was read and around the retries, so it sees their sum.
 */
final class RecordHandlingStep implements ConsumerStep {

  /** After {@link ConsumerStepOrder#READ_PAYLOAD}, before the outcome is recorded. */
  static final int ORDER = ConsumerStepOrder.READ_PAYLOAD + 50;

  private final MessageJournal journal;

  RecordHandlingStep(MessageJournal journal) {
    this.journal = journal;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    ConsumeResult result = next.proceed(context);
    if (result instanceof ConsumeResult.Handled) {
      journal.handled.add(record(context, context.attempts()));
    } else if (result instanceof ConsumeResult.Duplicate) {
      journal.duplicates.add(record(context, 0));
    }
    return result;
  }

  private static HandledMessage record(ConsumerContext context, int attempts) {
    DecodedMessage message = Objects.requireNonNull(context.message(), "read by DESERIALIZE");
    return new HandledMessage(
        message.envelope(),
        message.data(),
        context.subscription().destination(),
        context.subscription().group(),
        attempts);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
