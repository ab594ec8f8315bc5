package dev.asyncshop.messaging.spi;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One message as a transport received it; the {@link ConsumerPipeline} asks it for what it needs. A
 * transport implements one per message it hands to a pipeline.
 */
public interface InboundDelivery {

  /**
   * Reads the envelope from the transport's format.
   *
   * @throws PoisonMessageException if the envelope is missing or incomplete
   */
  DecodedMessage decode();

  /**
   * Stores the message in its dead-letter destination, with the dead letter's {@link
   * DeadLetter#headers()} beside it, and returns only once the broker has it; throws if it could
   * not be stored, so the message is not acknowledged.
   */
  void deadLetter(DeadLetter deadLetter) throws Exception;

  /**
   * Where the sender waits for a reply, as a name fit for metrics (the same for every asker, not
   * one per connection); {@code null} when nobody waits, which is the case for everything but a
   * query.
   */
  default @Nullable String replyTo() {
    return null;
  }

  /**
   * Sends a query's reply, or its failure, to {@link #replyTo()}, in the transport's format for any
   * message (the envelope's attributes included). Called by the pipeline once per query, through
   * the publisher steps (so the reply is audited and counted like any send), before the transport
   * acknowledges the query.
   *
   * @return completes when the reply is on its way; exceptionally if it could not be sent
   */
  default CompletableFuture<Void> reply(Reply reply) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(getClass().getName() + " cannot answer queries"));
  }

  /**
   * The replay this delivery is, when an operator replays a parked message; {@code null} for a
   * message its broker delivered.
   */
  default @Nullable Replay replay() {
    return null;
  }
}
