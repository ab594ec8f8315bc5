package dev.asyncshop.messaging.parking;

import org.jspecify.annotations.Nullable;

/**
 * What a replay or purge did to one parked message.
 *
 * @param id the parked message
 * @param outcome for a replay, what became of it; {@code null} for a purge, or when it was refused
 * @param refused why it was not touched, or {@code null} when it was
 * @param detail the new failure of a message parked again, or more about the refusal
 */
public record ActionResult(
    String id,
    @Nullable ReplayOutcome outcome,
    ParkingLotException.@Nullable Problem refused,
    @Nullable String detail) {

  public static ActionResult done(
      String id, @Nullable ReplayOutcome outcome, @Nullable String detail) {
    return new ActionResult(id, outcome, null, detail);
  }

  public static ActionResult refused(String id, ParkingLotException refusal) {
    return new ActionResult(id, null, refusal.problem(), refusal.getMessage());
  }
}
