package dev.asyncshop.inventory.reservation;

import dev.asyncshop.messaging.MessageType;

/** Nothing was reserved for the order, for the reason given. */
@MessageType("inventory.rejected.v1")
record InventoryRejected(String orderId, String reason) {}
