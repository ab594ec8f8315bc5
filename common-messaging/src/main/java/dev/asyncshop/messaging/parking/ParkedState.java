package dev.asyncshop.messaging.parking;

/** Where a parked message is in its life. */
public enum ParkedState {
  /** Waiting for an operator. */
  PARKED,
  /** Taken by a replay that has not finished; back to parked if it never does. */
  REPLAYING,
  /** Replayed: handled, found already handled, or (from the outbox) handed back to the relay. */
  REPLAYED,
  /** Thrown away by an operator; kept as a record of that. */
  PURGED
}
