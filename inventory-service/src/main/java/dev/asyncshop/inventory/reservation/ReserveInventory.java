package dev.asyncshop.inventory.reservation;

import dev.asyncshop.messaging.MessageType;
import dev.asyncshop.messaging.NonRetryableMessageException;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Holds the stock of an order's lines until the order is paid or cancelled. */
@MessageType("inventory.reserve.v1")
record ReserveInventory(@Nullable String orderId, @Nullable List<Line> lines) {

  record Line(@Nullable String sku, int quantity) {}

  /**
   * The quantities to take, one per SKU (lines for the same SKU add up), in SKU order.
   *
   * @throws NonRetryableMessageException if the command can never be carried out as sent
   */
  SortedMap<String, Integer> quantitiesBySku() {
    if (lines == null || lines.isEmpty()) {
      throw new NonRetryableMessageException("Reservation for order " + orderId + " has no lines");
    }
    SortedMap<String, Integer> quantities = new TreeMap<>();
    for (Line line : lines) {
      if (line == null || line.sku() == null || line.sku().isBlank() || line.quantity() <= 0) {
        throw new NonRetryableMessageException(
            "Reservation for order " + orderId + " has an invalid line: " + line);
      }
      quantities.merge(line.sku(), line.quantity(), Math::addExact);
    }
    return quantities;
  }
}
