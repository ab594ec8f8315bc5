package dev.asyncshop.order;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An order as clients see it: what placing an order answers and what tracking shows, so it belongs
 * to neither feature.
 *
 * @param weightKg of the parcel
 * @param trackingNumber once shipped
 * @param timeline every saga step, oldest first
 */
public record OrderView(
    UUID id,
    String customerId,
    OrderStatus status,
    List<Line> lines,
    Totals totals,
    ShippingAddress shippingAddress,
    BigDecimal weightKg,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String trackingNumber,
    Instant placedAt,
    Instant updatedAt,
    List<TimelineEntry> timeline) {

  /**
   * @param unitPrice and {@code total} in the order's currency
   */
  public record Line(
      String sku,
      String name,
      int quantity,
      BigDecimal unitPrice,
      BigDecimal total,
      BigDecimal weightKg) {}
}
