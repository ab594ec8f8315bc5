package dev.asyncshop.messaging.parking;

import java.util.Optional;

/**
 * Every dead letter of this service in one place, whatever broker it failed on: RabbitMQ's {@code
 * <queue>.dlq} and {@code <queue>.security.dlq}, Kafka's {@code <topic>.dlt} and {@code
 * <topic>.security.dlt} (this service's consumer groups' records), the Redis streams {@code
 * <channel>.dlq} and {@code <channel>.security.dlq}, and outbox rows the broker kept refusing.
 *
 * <p>The brokers' dead-letter destinations are where a failing consumer puts a message, confirmed,
 * whatever else is down; the library moves each one from there into this service's database, where
 * it can be filtered, paged and changed under a lock: a queue cannot be browsed, a Kafka log cannot
 * lose a record, and two operators must not replay one message twice.
 *
 * <p>A replay runs the message through the consumer that gave up on it, in this service, with the
 * same message id, so one that was handled meanwhile changes nothing: on a topic or channel other
 * consumer groups share, sending it there again would reach every group. An outbox row's replay
 * hands it back to the relay, which sends it to its destination. Each replay carries its lineage as
 * CloudEvents extensions ({@code replayof}, {@code replayedby}, {@code replaycount}) and is
 * audited, as are edits and purges.
 */
public interface ParkingLot {

  /** The most messages one bulk operation touches. */
  int MAX_BULK = 500;

  /** A page of the messages matching a query, newest first. */
  ParkedPage list(DeadLetterQuery query, int page, int size);

  /** One parked message, whole. */
  Optional<ParkedMessage> find(String id);

  /**
   * Replays one parked message.
   *
   * @param operator who asks, for the lineage and the audit trail
   * @throws ParkingLotException if it is not there, not parked, or cannot be replayed
   */
  ActionResult replay(String id, String operator);

  /** Replays every message of a selection, or in a dry run says which it would. */
  BulkResult replay(Selection selection, boolean dryRun, String operator);

  /**
   * Replaces the payload of a parked message, once it reads as the message's type; it is replayed
   * with the new payload.
   *
   * @throws ParkingLotException if it is not parked, its payload is encrypted, or the new one does
   *     not fit its type
   */
  ParkedMessage edit(String id, String payload, String operator);

  /**
   * Throws one parked message away, keeping the record of it.
   *
   * @throws ParkingLotException if it is not there or not parked
   */
  ActionResult purge(String id, String operator);

  /** Purges every message of a selection, or in a dry run says which it would. */
  BulkResult purge(Selection selection, boolean dryRun, String operator);
}
