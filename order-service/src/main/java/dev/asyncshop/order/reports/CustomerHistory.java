package dev.asyncshop.order.reports;

import java.math.BigDecimal;
import java.util.List;

/**
 * A customer's orders.
 *
 * @param orders how many they placed
 * @param shipped how many of them shipped
 * @param endedUnshipped how many ended without shipping (rejected or cancelled)
 * @param spent the totals of the shipped ones
 * @param recent the latest ones, newest first
 */
public record CustomerHistory(
    String customerId,
    int orders,
    int shipped,
    int endedUnshipped,
    BigDecimal spent,
    List<CustomerOrder> recent) {

  public CustomerHistory {
    recent = List.copyOf(recent);
  }
}
