package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.Envelope;

/** The outbox's side of a parked row: the relay takes it back, or lets it go. */
public interface ParkedOutboxRows {

  /**
   * Hands a parked row back to the relay, to be sent at once with this envelope and payload; in the
   * caller's transaction.
   *
   * @return false if the row is not parked (any more)
   */
  boolean requeue(String outboxId, Envelope envelope, byte[] payload);

  /**
   * Deletes a parked row, so its key's later rows may leave; in the caller's transaction.
   *
   * @return false if the row is not parked (any more)
   */
  boolean discard(String outboxId);

  /** Makes the relay look for rows now; after a requeue committed. */
  void wakeUp();
}
