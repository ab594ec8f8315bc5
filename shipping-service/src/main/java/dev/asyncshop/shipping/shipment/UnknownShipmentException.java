package dev.asyncshop.shipping.shipment;

/** No shipment was ever scheduled for this order. */
public class UnknownShipmentException extends RuntimeException {

  private final String orderId;

  public UnknownShipmentException(String orderId) {
    super("No shipment for order " + orderId);
    this.orderId = orderId;
  }

  public String orderId() {
    return orderId;
  }
}
