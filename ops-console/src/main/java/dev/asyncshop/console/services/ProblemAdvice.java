package dev.asyncshop.console.services;

import org.jspecify.annotations.Nullable;

/** What an operator can do about each refusal of the parking lot, by the problem's name. */
public final class ProblemAdvice {

  private ProblemAdvice() {}

  /**
   * @param problem the last segment of the problem's type, or of {@code refused} in a bulk result
   *     ({@code state_changed}, {@code STATE_CHANGED}, ...)
   */
  public static @Nullable String forParkingLot(String problem) {
    return switch (problem.toLowerCase(java.util.Locale.ROOT)) {
      case "not_found" -> "It may have been deleted after its retention; reload the list.";
      case "state_changed" ->
          "Someone else replayed or purged it, or is replaying it now: reload it to see its"
              + " lineage.";
      case "not_replayable" ->
          "Security dead letters are looked into as incidents, never replayed; a message without"
              + " an envelope or a query nobody waits for any more can only be purged.";
      case "destination_gone" ->
          "Nothing in this service consumes that destination any more: purge it, or deploy a"
              + " consumer for it first.";
      case "invalid_edit" ->
          "Correct the JSON so that it fits the message type's record, then save again.";
      case "invalid_selection" -> "Narrow or correct the filter.";
      default -> null;
    };
  }
}
