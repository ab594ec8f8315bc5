package dev.asyncshop.messaging.internal.parking;

/**
 * Where the intakes put the dead letters they take from the brokers, and the relay refused rows.
 */
public interface DeadLetterIntake {

  /**
   * Parks a dead letter unless a copy of it is parked already; in the caller's transaction, if any.
   *
   * @return whether it was new
   * @throws org.springframework.dao.DataAccessException if the database did not take it: the intake
   *     must then leave it where it was, to be taken again
   */
  boolean park(ArrivedDeadLetter deadLetter);
}
