package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.Reply;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One in-memory message handed to a pipeline: its dead letter goes to the journal, and a query's
 * reply to the future its asker waits on.
 */
final class InMemoryDelivery implements InboundDelivery {

  /** Where every in-memory asker waits, as one name for metrics and audit records. */
  static final String REPLY_TO = "in-memory.reply-to";

  private final InMemoryMessage message;
  private final MessageJournal journal;
  private final @Nullable CompletableFuture<Reply> asker;

  /**
   * @param asker completes with the reply; {@code null} when nobody waits for one
   */
  InMemoryDelivery(
      InMemoryMessage message, MessageJournal journal, @Nullable CompletableFuture<Reply> asker) {
    this.message = message;
    this.journal = journal;
    this.asker = asker;
  }

  @Override
  public DecodedMessage decode() {
    return new DecodedMessage(message.envelope(), message.data());
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    journal.deadLetters.add(new DeadLetteredMessage(message, deadLetter));
  }

  @Override
  public @Nullable String replyTo() {
    return asker == null ? null : REPLY_TO;
  }

  @Override
  public CompletableFuture<Void> reply(Reply reply) {
    if (asker == null) {
      return InboundDelivery.super.reply(reply);
    }
    journal.answered.add(new AnsweredQuery(message, reply));
    asker.complete(reply);
    return CompletableFuture.completedFuture(null);
  }
}
