package dev.asyncshop.inventory.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why stock could not be taken: SKUs the catalogue does not know, and SKUs with fewer units than
 * asked for. Empty when everything was taken.
 */
public record Shortfall(List<String> unknownSkus, List<Missing> missing) {

  public static final Shortfall NONE = new Shortfall(List.of(), List.of());

  /** A SKU that has fewer units than requested. */
  public record Missing(String sku, int requested, int available) {}

  public Shortfall {
    unknownSkus = List.copyOf(unknownSkus);
    missing = List.copyOf(missing);
  }

  public boolean isEmpty() {
    return unknownSkus.isEmpty() && missing.isEmpty();
  }

  /** A reason naming every SKU at fault, for the rejection event. */
  public String reason() {
    List<String> parts = new ArrayList<>();
    if (!unknownSkus.isEmpty()) {
      parts.add("unknown SKU: " + String.join(", ", unknownSkus));
    }
    if (!missing.isEmpty()) {
      parts.add(
          "insufficient stock: "
              + missing.stream()
                  .map(
                      m ->
                          "%s (requested %d, available %d)"
                              .formatted(m.sku(), m.requested(), m.available()))
                  .collect(Collectors.joining(", ")));
    }
    return String.join("; ", parts);
  }
}
