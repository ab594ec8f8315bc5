package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import dev.asyncshop.messaging.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** A message as a transport would hand it over, keeping what the pipeline did with it. */
final class FakeDelivery implements InboundDelivery {

  private final @Nullable DecodedMessage message;
  private final @Nullable String replyTo;
  final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  final List<Reply> replies = new CopyOnWriteArrayList<>();
  boolean deadLetterDestinationDown;

  private FakeDelivery(@Nullable DecodedMessage message, @Nullable String replyTo) {
    this.message = message;
    this.replyTo = replyTo;
  }

  static FakeDelivery of(Envelope envelope, String json) {
    return new FakeDelivery(
        new DecodedMessage(envelope, json.getBytes(StandardCharsets.UTF_8)), null);
  }

  /** A query whose asker waits for the reply. */
  static FakeDelivery query(Envelope envelope, String json) {
    return new FakeDelivery(
        new DecodedMessage(envelope, json.getBytes(StandardCharsets.UTF_8)), "asker");
  }

  /** A message whose envelope cannot be read. */
  static FakeDelivery unreadable(@Nullable String replyTo) {
    return new FakeDelivery(null, replyTo);
  }

  @Override
  public DecodedMessage decode() {
    if (message == null) {
      throw new PoisonMessageException("Missing CloudEvents attribute 'specversion'");
    }
    return message;
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) throws Exception {
    if (deadLetterDestinationDown) {
      throw new IllegalStateException("dead-letter queue is away");
    }
    deadLetters.add(deadLetter);
  }

  @Override
  public @Nullable String replyTo() {
    return replyTo;
  }

  @Override
  public CompletableFuture<Void> reply(Reply reply) {
    replies.add(reply);
    return CompletableFuture.completedFuture(null);
  }
}
