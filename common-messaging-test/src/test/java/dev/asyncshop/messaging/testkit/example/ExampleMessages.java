package dev.asyncshop.messaging.testkit.example;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/** The example service's messages. */
public final class ExampleMessages {

  private ExampleMessages() {}

  /**
   * Packs an order's parcel.
   *
   * @param failures how many runs fail before one succeeds
   * @param refuse fail with an exception retrying cannot fix
   */
  @MessageType("example.pack.v1")
  public record PackParcel(String orderId, int failures, boolean refuse) {}

  @MessageType("example.packed.v1")
  public record ParcelPacked(String orderId) {}

  @MessageType("example.price.v1")
  public record PriceQuery(String sku) {}

  public record Price(String sku, BigDecimal amount) {}

  @MessageType("example.order-paid.v1")
  public record OrderPaid(String orderId) {}

  /** Asked of another service, which the test plays. */
  @MessageType("example.loyalty.v1")
  public record LoyaltyQuery(String orderId) {}

  public record LoyaltyPoints(int points) {}

  /** Sent to another service; nothing here handles it. */
  @MessageType("example.ship.v1")
  public record ShipOrder(String orderId, int loyaltyPoints) {}

  /**
   * Puts a delivery into stock.
   *
   * @param failures how many runs fail, after writing to the outbox, before one succeeds
   */
  @MessageType("example.restock.v1")
  public record Restock(String sku, int quantity, int failures) {}

  @MessageType("example.restocked.v1")
  public record Restocked(String sku, int quantity) {}

  @MessageType("example.stock.v1")
  public record StockNotice(String sku, int available) {}
}
