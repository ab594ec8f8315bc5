package dev.asyncshop.messaging;

import org.jspecify.annotations.Nullable;

/**
 * Per-message choices a sender may make; everything left out is filled in (correlation and
 * causation follow the message being handled on the current thread, if any).
 *
 * @param subject the entity the message is about
 * @param partitionKey messages with the same key leave the outbox in order and stay in order on
 *     Kafka
 * @param correlationId to join an existing business flow
 */
public record MessageOptions(
    @Nullable String subject, @Nullable String partitionKey, @Nullable String correlationId) {

  /** No choices: every attribute is derived. */
  public static final MessageOptions NONE = new MessageOptions(null, null, null);

  /** About one entity: it is the subject and the partition key, so its messages stay in order. */
  public static MessageOptions about(String entityId) {
    return new MessageOptions(entityId, entityId, null);
  }

  /** The same options, joined to the given business flow. */
  public MessageOptions correlatedWith(String correlationId) {
    return new MessageOptions(subject, partitionKey, correlationId);
  }
}
