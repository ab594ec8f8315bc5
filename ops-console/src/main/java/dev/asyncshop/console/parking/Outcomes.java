package dev.asyncshop.console.parking;

import dev.asyncshop.console.services.ProblemAdvice;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** What an action did to one message, in words. */
final class Outcomes {

  private Outcomes() {}

  static String words(ActionResult result) {
    StringBuilder words = new StringBuilder();
    if (result.refused() != null) {
      words.append("Refused (").append(result.refused().toLowerCase(Locale.ROOT)).append(")");
      appendDetail(words, result.detail());
      String advice = ProblemAdvice.forParkingLot(result.refused());
      if (advice != null) {
        words.append(". ").append(advice);
      }
      return words.toString();
    }
    words.append(outcome(result.outcome()));
    appendDetail(words, result.detail());
    return words.toString();
  }

  private static String outcome(@Nullable String outcome) {
    if (outcome == null) {
      return "Purged";
    }
    return switch (outcome) {
      case "HANDLED" -> "Replayed: its handler ran and succeeded";
      case "ALREADY_HANDLED" -> "Replayed: it had been handled already, nothing changed";
      case "PARKED_AGAIN" -> "Replayed, failed again and parked again";
      case "QUEUED" -> "Replayed: handed back to the outbox relay, which sends it";
      case "DEPENDENCY_UNAVAILABLE" ->
          "Not replayed: a dependency of its handler is down; it stays parked, replay it once"
              + " that is back";
      default -> "Replayed: " + outcome;
    };
  }

  private static void appendDetail(StringBuilder words, @Nullable String detail) {
    if (detail != null && !detail.isBlank()) {
      words.append(": ").append(detail);
    }
  }
}
