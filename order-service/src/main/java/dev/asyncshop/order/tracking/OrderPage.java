package dev.asyncshop.order.tracking;

import java.util.List;

/**
 * One page of orders, newest first.
 *
 * @param page where this page is among all matching orders
 */
public record OrderPage(List<OrderSummary> content, PageMetadata page) {

  /**
   * @param number zero-based
   * @param size the largest number of orders on a page
   */
  public record PageMetadata(int number, int size, long totalElements, int totalPages) {}
}
