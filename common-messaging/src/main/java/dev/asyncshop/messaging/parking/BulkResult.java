package dev.asyncshop.messaging.parking;

import java.util.List;

/**
 * What a replay or purge of several messages did, or, in a dry run, would do.
 *
 * @param dryRun nothing was touched: {@link #matched()} is what would be
 * @param matched the messages the selection names, as they are now, at most {@link
 *     ParkingLot#MAX_BULK}
 * @param more the selection matches more than {@link ParkingLot#MAX_BULK}; run it again for the
 *     rest
 * @param results what was done to each, in the order of {@link #matched()}; empty in a dry run
 */
public record BulkResult(
    boolean dryRun, List<ParkedSummary> matched, boolean more, List<ActionResult> results) {}
