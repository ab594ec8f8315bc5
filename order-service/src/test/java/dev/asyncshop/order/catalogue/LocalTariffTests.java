package dev.asyncshop.order.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.LocalTables;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalTariffTests {

  static final LocalTables CAUGHT_UP =
      new LocalTables() {
        @Override
        public boolean caughtUp(String messageType) {
          return true;
        }

        @Override
        public boolean allCaughtUp() {
          return true;
        }
      };

  static final PublishedTariff TARIFF =
      new PublishedTariff(
          "EUR",
          new BigDecimal("1.20"),
          new BigDecimal("20"),
          2,
          List.of(
              new PublishedTariff.Zone("WORLD", new BigDecimal("14.90"), 7, List.of()),
              new PublishedTariff.Zone("DOMESTIC", new BigDecimal("4.90"), 2, List.of("DE")),
              new PublishedTariff.Zone("EU", new BigDecimal("7.90"), 4, List.of("FR", "IT"))));

  @Test
  void pricesByTheZoneThatNamesTheCountryOrElseByTheZoneOfEveryOtherCountry() {
    LocalTariff tariff = new LocalTariff(CAUGHT_UP);
    tariff.apply(TARIFF);

    assertThat(tariff.rateFor("de", new BigDecimal("2.5")))
        .contains(new ShippingRate(new BigDecimal("7.90"), "EUR", 2));
    assertThat(tariff.rateFor("FR", new BigDecimal("1")))
        .contains(new ShippingRate(new BigDecimal("9.10"), "EUR", 4));
    assertThat(tariff.rateFor("US", new BigDecimal("30")))
        .contains(new ShippingRate(new BigDecimal("50.90"), "EUR", 9));
  }

  @Test
  void pricesNothingBeforeATariffWasRead() {
    assertThat(new LocalTariff(CAUGHT_UP).rateFor("DE", BigDecimal.ONE)).isEmpty();
  }
}
