package dev.asyncshop.order.catalogue;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.LocalTables;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The tariff shipping last published on {@code shipping.tariff}, read from the start at every
 * start: what placement prices shipping from when the live quote cannot be had.
 */
@Component
public class LocalTariff {

  private final LocalTables tables;
  private volatile @Nullable PublishedTariff tariff;

  public LocalTariff(LocalTables tables) {
    this.tables = tables;
  }

  @HandleMessage(table = true)
  void apply(PublishedTariff published) {
    tariff = published;
  }

  /**
   * Shipping to a country by the tariff, or empty while this instance holds no tariff (it has not
   * caught up with the topic, or shipping never published one).
   */
  public Optional<ShippingRate> rateFor(String country, BigDecimal weightKg) {
    PublishedTariff current = tariff;
    if (current == null || !tables.caughtUp(PublishedTariff.class)) {
      return Optional.empty();
    }
    String code = country.trim().toUpperCase(Locale.ROOT);
    PublishedTariff.Zone zone =
        current.zones().stream()
            .filter(z -> z.countries() != null && z.countries().contains(code))
            .findFirst()
            .or(
                () ->
                    current.zones().stream()
                        .filter(z -> z.countries() == null || z.countries().isEmpty())
                        .findFirst())
            .orElse(null);
    if (zone == null) {
      return Optional.empty();
    }
    BigDecimal price =
        zone.basePrice()
            .add(current.pricePerKg().multiply(weightKg))
            .setScale(2, RoundingMode.HALF_UP);
    int etaDays =
        zone.etaDays()
            + (weightKg.compareTo(current.freightAboveKg()) > 0 ? current.freightExtraDays() : 0);
    return Optional.of(new ShippingRate(price, current.currency(), etaDays));
  }
}
