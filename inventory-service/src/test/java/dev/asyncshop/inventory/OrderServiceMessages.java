package dev.asyncshop.inventory;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.util.List;

/**
 * The messages as another service writes and reads them, from docs/messages.md alone: tests send
 * these rather than the service's own records, so a renamed field fails a test instead of silently
 * breaking the contract.
 */
final class OrderServiceMessages {

  private OrderServiceMessages() {}

  @MessageType("inventory.reserve.v1")
  record ReserveInventory(String orderId, List<Line> lines) {}

  record Line(String sku, int quantity) {}

  @MessageType("inventory.release.v1")
  record ReleaseInventory(String orderId, String reason) {}

  @MessageType("inventory.product-state.v1")
  record ProductState(
      String sku,
      String name,
      BigDecimal unitPrice,
      String currency,
      BigDecimal weightKg,
      int available) {}

  @MessageType("stock.changed.v1")
  record StockChanged(String sku, int available) {}
}
