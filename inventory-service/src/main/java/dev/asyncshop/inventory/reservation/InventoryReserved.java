package dev.asyncshop.inventory.reservation;

import dev.asyncshop.messaging.MessageType;
import java.util.List;

/** Every line of the order is taken out of stock and held for it. */
@MessageType("inventory.reserved.v1")
record InventoryReserved(String orderId, List<Line> lines) {

  record Line(String sku, int quantity) {}
}
