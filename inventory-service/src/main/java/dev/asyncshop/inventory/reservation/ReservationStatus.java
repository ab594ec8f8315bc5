package dev.asyncshop.inventory.reservation;

/** Where an order stands with inventory; see the reservation table's migration. */
enum ReservationStatus {
  RESERVED,
  REJECTED,
  RELEASED,
  /** Released before it was reserved: a later reservation for the order is rejected. */
  CANCELLED
}
