package dev.asyncshop.messaging.spi;

/** The step of a message's life an {@link AuditRecord} describes. */
public enum AuditOutcome {
  PUBLISHED,
  PUBLISH_FAILED,
  /**
   * A message arrived, read and checked, whose first attempt did not end in {@link #HANDLED} or
   * {@link #DUPLICATE_SKIPPED}: written when that attempt failed (before its retries and any dead
   * letter), or alone when the message was given back or ignored; its time is when the transport
   * handed the message over. A message handled, or skipped as a duplicate, at its first attempt has
   * no such record: that record alone says it arrived. So a handler still running, or a process
   * that died in one, shows no record yet for that message in that service; the sender's {@link
   * #PUBLISHED} shows where it went. A reply its asker receives has this record alone.
   */
  RECEIVED,
  HANDLED,
  RETRIED,
  DEAD_LETTERED,
  DUPLICATE_SKIPPED,
  /** The message's signature did not hold; the detail says why and whether it was let through. */
  SIGNATURE_REJECTED,
  /** The message's payload could not be decrypted; the detail says why, never with a key. */
  DECRYPTION_REJECTED,
  /**
   * A dead letter reached the parking lot: from a broker's dead letters, or a refused outbox row.
   */
  PARKED,
  /** An operator replayed a parked message; the records of its handling follow. */
  REPLAYED,
  /** An operator changed a parked message's payload; the detail holds the payload it had. */
  EDITED,
  /** An operator threw a parked message away. */
  PURGED,
  /**
   * Not a step of a message: a subscription's circuit breaker changed state, and its consumer
   * stopped or started taking messages. The record names the transport and destination, and no
   * message; its detail says from which state to which, for which consumer group, and why; its
   * duration is how long the breaker was in the state it left.
   */
  BREAKER_TRANSITION,
  /**
   * Not a step of a message: the audit trail's Kafka sink chained records it then could not send.
   * Its chain member lists the lost sequence numbers (see {@link
   * dev.asyncshop.messaging.audit.AuditChain}); its detail says why they were lost.
   */
  CHAIN_GAP,
  /**
   * Not a step of a message: the last record of an instance's audit chain, written when the
   * instance stops cleanly; its detail says how many records the chain has.
   */
  CHAIN_CLOSED
}
