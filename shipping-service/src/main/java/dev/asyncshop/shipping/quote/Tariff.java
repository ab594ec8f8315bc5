package dev.asyncshop.shipping.quote;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The carrier's tariff, from the warehouse in Germany:
 *
 * <ul>
 *   <li>price = base price of the zone + 1.20 EUR per kg, rounded half up to the cent; base 4.90 to
 *       Germany (domestic), 7.90 to the other EU member states, 14.90 elsewhere;
 *   <li>days = 2 domestic, 4 EU, 7 elsewhere, and 2 more for a parcel above 20 kg, which goes by
 *       freight.
 * </ul>
 *
 * For example 2.5 kg to DE costs 7.90 in 2 days; 30 kg to US costs 50.90 in 9 days.
 */
@Component
public class Tariff {

  public static final String CURRENCY = "EUR";

  private static final BigDecimal PRICE_PER_KG = new BigDecimal("1.20");
  private static final BigDecimal FREIGHT_ABOVE_KG = new BigDecimal("20");
  private static final int FREIGHT_EXTRA_DAYS = 2;

  /**
   * @param country an ISO 3166-1 alpha-2 code, either case
   * @param weightKg more than zero
   * @throws IllegalArgumentException if the country is not a two-letter code or the weight is not
   *     positive
   */
  public Rate rateFor(String country, BigDecimal weightKg) {
    String code = country.trim().toUpperCase(Locale.ROOT);
    if (!code.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException("Not an ISO 3166-1 alpha-2 country code: " + country);
    }
    if (weightKg.signum() <= 0) {
      throw new IllegalArgumentException("A parcel weighs more than nothing: " + weightKg);
    }
    Zone zone = Zone.of(code);
    BigDecimal price =
        zone.basePrice().add(PRICE_PER_KG.multiply(weightKg)).setScale(2, RoundingMode.HALF_UP);
    int etaDays =
        zone.etaDays() + (weightKg.compareTo(FREIGHT_ABOVE_KG) > 0 ? FREIGHT_EXTRA_DAYS : 0);
    return new Rate(zone, price, CURRENCY, etaDays);
  }

  /** This tariff as it is published, for others to price from when no quote can be had. */
  PublishedTariff published() {
    return new PublishedTariff(
        CURRENCY,
        PRICE_PER_KG,
        FREIGHT_ABOVE_KG,
        FREIGHT_EXTRA_DAYS,
        Arrays.stream(Zone.values())
            .map(
                zone ->
                    new PublishedTariff.ZoneRate(
                        zone.name(), zone.basePrice(), zone.etaDays(), zone.countries()))
            .toList());
  }
}
