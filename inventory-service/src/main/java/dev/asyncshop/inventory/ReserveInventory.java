package dev.asyncshop.inventory;

import dev.asyncshop.messaging.MessageType;
import java.util.List;

/** Holds the stock of an order's lines until the order is paid or cancelled. */
@MessageType("inventory.reserve.v1")
record ReserveInventory(String orderId, List<Line> lines) {

  record Line(String sku, int quantity) {}
}
