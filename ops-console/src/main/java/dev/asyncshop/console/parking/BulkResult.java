package dev.asyncshop.console.parking;

import java.util.List;

/**
 * What a bulk replay or purge did in one service, or in a dry run would do.
 *
 * @param matched the messages selected, as they are now (at most the service's bulk limit)
 * @param more the selection matches more than the limit
 * @param results what was done to each; empty in a dry run
 */
record BulkResult(
    boolean dryRun, List<ParkedSummary> matched, boolean more, List<ActionResult> results) {}
