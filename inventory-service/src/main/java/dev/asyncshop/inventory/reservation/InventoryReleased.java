package dev.asyncshop.inventory.reservation;

import dev.asyncshop.messaging.MessageType;

/** The order holds no stock any more, and never will: what it had reserved is back in stock. */
@MessageType("inventory.released.v1")
record InventoryReleased(String orderId) {}
