package dev.asyncshop.order.placement;

import dev.asyncshop.order.ShippingAddress;
import java.util.List;

/**
 * An order as the customer asked for it, before it is priced.
 *
 * @param items each SKU once
 */
public record PlaceOrder(
    String customerId, List<Item> items, ShippingAddress shippingAddress, String cardToken) {

  public record Item(String sku, int quantity) {}
}
