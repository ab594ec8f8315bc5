package dev.asyncshop.order.tracking;

import java.util.UUID;

/** No order has this id. */
public class OrderNotFoundException extends RuntimeException {

  private final UUID id;

  public OrderNotFoundException(UUID id) {
    super("No order " + id);
    this.id = id;
  }

  public UUID id() {
    return id;
  }
}
