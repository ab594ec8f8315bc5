package dev.asyncshop.order.catalogue;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Shipping's tariff as it publishes it on {@code shipping.tariff}: price = the zone's base price +
 * the price per kg times the weight, rounded half up to the cent; days = the zone's, and more for a
 * parcel above the freight weight.
 *
 * @param zones the zone whose countries hold the destination, or else the zone without countries,
 *     which takes every other country
 */
@MessageType("shipping.tariff.v1")
record PublishedTariff(
    String currency,
    BigDecimal pricePerKg,
    BigDecimal freightAboveKg,
    int freightExtraDays,
    List<Zone> zones) {

  record Zone(String name, BigDecimal basePrice, int etaDays, @Nullable List<String> countries) {}
}
