package dev.asyncshop.messaging.parking;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What operators did to a parked message.
 *
 * @param replayCount how many times it was replayed
 * @param replayedBy who replayed it last
 * @param replayedAt when
 * @param editedBy who last changed its payload
 * @param editedAt when
 * @param purgedBy who purged it
 * @param stateChangedAt when its state last changed
 */
public record Lineage(
    int replayCount,
    @Nullable String replayedBy,
    @Nullable Instant replayedAt,
    @Nullable String editedBy,
    @Nullable Instant editedAt,
    @Nullable String purgedBy,
    Instant stateChangedAt) {}
