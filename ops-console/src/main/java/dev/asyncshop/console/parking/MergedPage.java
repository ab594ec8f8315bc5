package dev.asyncshop.console.parking;

import java.util.List;
import java.util.Map;

/**
 * One page of the parking lots of the chosen services, newest first.
 *
 * @param total how many match, over every service that answered
 * @param countsByReason how many match, by reason, over those services
 * @param countsByService how many match in each service that answered
 * @param problems the services that could not be read, in words
 * @param beyondReach the page lies deeper than a merged list can reach; choose one service
 */
record MergedPage(
    List<Parked> items,
    int page,
    int size,
    long total,
    Map<String, Long> countsByReason,
    Map<String, Long> countsByService,
    List<String> problems,
    boolean beyondReach) {

  public int pages() {
    return (int) Math.max(1, (total + size - 1) / size);
  }

  public boolean hasNext() {
    return (long) (page + 1) * size < total;
  }
}
