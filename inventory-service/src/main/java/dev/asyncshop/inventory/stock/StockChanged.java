package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageType;

/** A product's stock level changed; {@code available} is the level right after the change. */
@MessageType("stock.changed.v1")
record StockChanged(String sku, int available) {}
