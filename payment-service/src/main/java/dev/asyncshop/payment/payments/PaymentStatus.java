package dev.asyncshop.payment.payments;

/** Where a payment stands. */
public enum PaymentStatus {
  AUTHORIZED,
  DECLINED,
  REFUNDED
}
