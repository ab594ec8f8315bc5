package dev.asyncshop.shipping.quote;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;
import java.util.List;

/**
 * The tariff as it is published on the compacted {@code shipping.tariff}, under one key: price =
 * the zone's base price + {@code pricePerKg} times the weight, rounded half up to the cent; days =
 * the zone's, and {@code freightExtraDays} more above {@code freightAboveKg}.
 *
 * @param zones each zone with its countries; the zone without countries takes every other country
 */
@MessageType("shipping.tariff.v1")
record PublishedTariff(
    String currency,
    BigDecimal pricePerKg,
    BigDecimal freightAboveKg,
    int freightExtraDays,
    List<ZoneRate> zones) {

  /** The key of the one record the topic keeps. */
  static final String KEY = "tariff";

  record ZoneRate(String name, BigDecimal basePrice, int etaDays, List<String> countries) {}
}
