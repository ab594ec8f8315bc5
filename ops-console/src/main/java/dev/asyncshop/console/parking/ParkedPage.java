package dev.asyncshop.console.parking;

import java.util.List;
import java.util.Map;

/** One page of a service's parking lot, newest first, and how many match by reason. */
record ParkedPage(
    List<ParkedSummary> items, int page, int size, long total, Map<String, Long> countsByReason) {}
