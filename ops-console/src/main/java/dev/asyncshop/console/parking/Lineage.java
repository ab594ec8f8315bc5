package dev.asyncshop.console.parking;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What operators did to a parked message; every name is an operator's token subject. */
record Lineage(
    int replayCount,
    @Nullable String replayedBy,
    @Nullable Instant replayedAt,
    @Nullable String editedBy,
    @Nullable Instant editedAt,
    @Nullable String purgedBy,
    @Nullable Instant stateChangedAt) {}
