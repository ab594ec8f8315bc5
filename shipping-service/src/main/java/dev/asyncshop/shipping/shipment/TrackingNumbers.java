package dev.asyncshop.shipping.shipment;

import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/**
 * Tracking numbers: {@code AS} and ten random digits. Random rather than sequential, so that one
 * customer's number does not lead to the next customer's parcel; the table's unique constraint
 * catches the rare repeat, and the command is retried with a new number.
 */
@Component
class TrackingNumbers {

  private static final long TEN_DIGITS = 10_000_000_000L;

  private final SecureRandom random = new SecureRandom();

  String next() {
    return "AS%010d".formatted(random.nextLong(TEN_DIGITS));
  }
}
