package dev.asyncshop.messaging.parking;

/** What became of one replayed message. */
public enum ReplayOutcome {
  /** Its handler ran and succeeded. */
  HANDLED,
  /** It had been handled already (its id is in the idempotency store): nothing changed. */
  ALREADY_HANDLED,
  /** It failed again and is parked again, with the new reason. */
  PARKED_AGAIN,
  /** An outbox row, handed back to the relay, which sends it to its destination. */
  QUEUED,
  /** A dependency of its handler is down: it stays parked, to be replayed once it is back. */
  DEPENDENCY_UNAVAILABLE
}
