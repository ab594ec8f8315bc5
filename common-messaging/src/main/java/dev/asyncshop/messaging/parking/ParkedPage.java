package dev.asyncshop.messaging.parking;

import java.util.List;
import java.util.Map;

/**
 * One page of a list, newest first.
 *
 * @param items the page's messages
 * @param page which page, from 0
 * @param size the page size asked for
 * @param total how many match the query
 * @param countsByReason how many match it, by dead-letter reason
 */
public record ParkedPage(
    List<ParkedSummary> items, int page, int size, long total, Map<String, Long> countsByReason) {}
