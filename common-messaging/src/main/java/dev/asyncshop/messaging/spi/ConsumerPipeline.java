package dev.asyncshop.messaging.spi;

/**
 * Everything that happens to a received message of one {@link Subscription}, whatever its
 * transport: read the envelope, audit, skip duplicates, run the handler with retries, answer a
 * query, dead-letter what cannot be handled. A transport hands each message it takes to {@link
 * #process} and acknowledges it once that returns, and only then.
 */
public interface ConsumerPipeline {

  /** What this pipeline consumes. */
  Subscription subscription();

  /**
   * Takes one message through the pipeline. Whatever it returns, the message was handled, skipped
   * or is safely dead-lettered, so the transport may acknowledge it.
   *
   * @throws DeadLetterFailedException if the message had to be dead-lettered but could not be
   * @throws ConsumerStoppingException if the consumer is stopping while the handler is retried
   * @throws IdempotencyStore.MessageInProgressException if another consumer of the group kept the
   *     message claimed through every retry
   * @throws IdempotencyStore.StoreUnavailableException if duplicates could not be checked
   * @throws RuntimeException for any of these the transport must not acknowledge the message, so
   *     the broker delivers it again
   */
  ConsumeResult process(InboundDelivery delivery);
}
