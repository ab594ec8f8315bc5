package dev.asyncshop.console.parking;

import java.util.Locale;

/** What a bulk request does to the messages it selects. */
enum BulkAction {
  REPLAY,
  PURGE;

  /** The last segment of its endpoint, {@code /ops/dead-letters/replay} or {@code /purge}. */
  String path() {
    return name().toLowerCase(Locale.ROOT);
  }
}
