package dev.asyncshop.order.placement;

import java.util.List;

/** The catalogue does not know some of the ordered SKUs; nothing was stored. */
public class UnknownSkusException extends RuntimeException {

  private final List<String> skus;

  public UnknownSkusException(List<String> skus) {
    super("Unknown SKU(s): " + String.join(", ", skus));
    this.skus = List.copyOf(skus);
  }

  /** The SKUs the catalogue does not know, in the order they were asked for. */
  public List<String> skus() {
    return skus;
  }
}
