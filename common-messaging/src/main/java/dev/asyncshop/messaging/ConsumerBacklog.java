package dev.asyncshop.messaging;

import java.util.OptionalLong;

/**
 * How far this service's Kafka consumers are behind: the records waiting on its subscribed topics
 * that its consumer groups have not handled yet. Something that waits for answers arriving as
 * events can tell from it whether they are late, or have arrived and wait to be read: after an
 * outage the second is a backlog of this service's own, and a clock measuring the other services
 * should stand still until it is read (order-service's saga clock does).
 *
 * <p>Read from the broker at each call (the consumer groups' committed offsets against the ends of
 * their partitions, a request or two), so call it about once a second, not per message.
 */
public interface ConsumerBacklog {

  /** For a service that consumes nothing from Kafka: never behind. */
  ConsumerBacklog NONE = () -> OptionalLong.of(0);

  /**
   * @return the records not yet handled, summed over the service's Kafka subscriptions; empty when
   *     Kafka cannot say right now (unreachable, or too slow to answer)
   */
  OptionalLong unreadKafkaRecords();
}
