package dev.asyncshop.shipping.shipment;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** Hands a paid order's parcel to the carrier. */
@MessageType("shipping.schedule.v1")
record ScheduleShipment(
    @Nullable String orderId, @Nullable Address address, @Nullable BigDecimal weightKg) {

  record Address(
      @Nullable String name,
      @Nullable String street,
      @Nullable String city,
      @Nullable String postalCode,
      @Nullable String country) {}
}
