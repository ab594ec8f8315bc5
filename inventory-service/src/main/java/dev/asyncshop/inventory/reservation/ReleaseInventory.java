package dev.asyncshop.inventory.reservation;

import dev.asyncshop.messaging.MessageType;
import org.jspecify.annotations.Nullable;

/** Gives back what an order reserved: the order was cancelled. */
@MessageType("inventory.release.v1")
record ReleaseInventory(@Nullable String orderId, @Nullable String reason) {}
