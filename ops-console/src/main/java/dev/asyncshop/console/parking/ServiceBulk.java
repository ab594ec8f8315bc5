package dev.asyncshop.console.parking;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A bulk action's answer from one service, or why it gave none. */
record ServiceBulk(String service, @Nullable BulkResult result, @Nullable String problem) {

  /** What was done to each matched message, in words, in the order of the matched list. */
  public List<String> outcomes() {
    return result == null ? List.of() : result.results().stream().map(Outcomes::words).toList();
  }
}
