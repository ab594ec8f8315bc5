package dev.asyncshop.order;

/** Where an order is in its saga. */
public enum OrderStatus {
  /** Stored; waiting for inventory to reserve the items. */
  PENDING,
  /** Items reserved; waiting for the payment to be authorized. */
  INVENTORY_RESERVED,
  /** Payment authorized; passed through on the way to {@link #CONFIRMED}. */
  PAYMENT_AUTHORIZED,
  /**
   * Paid and reserved; waiting for shipping to schedule the shipment. No deadline: the command
   * waits durably on shipping's queue and cannot be called back, so cancelling here could refund an
   * order whose parcel still leaves. A stuck order shows as a growing queue, not as a refund.
   */
  CONFIRMED,
  /** Shipment scheduled, with a tracking number. End state. */
  SHIPPED,
  /** Inventory could not reserve the items; nothing was charged. End state. */
  REJECTED,
  /** Payment declined or a step timed out; compensation was sent. End state. */
  CANCELLED;

  /** No further transition happens; only late answers are recorded. */
  public boolean isEnd() {
    return this == SHIPPED || this == REJECTED || this == CANCELLED;
  }

  /** The saga waits for another service's answer under a deadline, and compensates after it. */
  public boolean isWaiting() {
    return this == PENDING || this == INVENTORY_RESERVED;
  }
}
