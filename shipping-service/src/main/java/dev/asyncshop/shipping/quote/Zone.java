package dev.asyncshop.shipping.quote;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/** Where a parcel goes, seen from the warehouse in Germany. */
public enum Zone {
  DOMESTIC("4.90", 2),
  EU("7.90", 4),
  WORLD("14.90", 7);

  /** The other 26 member states of the European Union, by ISO 3166-1 alpha-2 code. */
  private static final Set<String> EU_COUNTRIES =
      Set.of(
          "AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
          "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

  private final BigDecimal basePrice;
  private final int etaDays;

  Zone(String basePrice, int etaDays) {
    this.basePrice = new BigDecimal(basePrice);
    this.etaDays = etaDays;
  }

  /**
   * @param country an ISO 3166-1 alpha-2 code, upper case
   */
  static Zone of(String country) {
    if (country.equals("DE")) {
      return DOMESTIC;
    }
    return EU_COUNTRIES.contains(country) ? EU : WORLD;
  }

  /** The countries of the zone, in code order; none for {@link #WORLD}, which is every other. */
  List<String> countries() {
    return switch (this) {
      case DOMESTIC -> List.of("DE");
      case EU -> EU_COUNTRIES.stream().sorted().toList();
      case WORLD -> List.of();
    };
  }

  BigDecimal basePrice() {
    return basePrice;
  }

  int etaDays() {
    return etaDays;
  }
}
