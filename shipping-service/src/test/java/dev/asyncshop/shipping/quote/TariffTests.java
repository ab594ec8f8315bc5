package dev.asyncshop.shipping.quote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The documented tariff. */
class TariffTests {

  final Tariff tariff = new Tariff();

  @Test
  void pricesByZoneAndWeight() {
    assertThat(rate("DE", "2.5"))
        .isEqualTo(new Rate(Zone.DOMESTIC, new BigDecimal("7.90"), "EUR", 2));
    assertThat(rate("FR", "2.5")).isEqualTo(new Rate(Zone.EU, new BigDecimal("10.90"), "EUR", 4));
    assertThat(rate("US", "2.5"))
        .isEqualTo(new Rate(Zone.WORLD, new BigDecimal("17.90"), "EUR", 7));
  }

  @Test
  void heavyParcelsTakeTwoDaysMore() {
    assertThat(rate("DE", "20").etaDays()).isEqualTo(2);
    assertThat(rate("DE", "20.001").etaDays()).isEqualTo(4);
    assertThat(rate("US", "30")).isEqualTo(new Rate(Zone.WORLD, new BigDecimal("50.90"), "EUR", 9));
  }

  @Test
  void roundsHalfUpToTheCent() {
    // 4.90 + 1.20 * 0.0125 = 4.915
    assertThat(rate("DE", "0.0125").price()).isEqualByComparingTo("4.92");
  }

  @Test
  void readsCountryCodesInEitherCase() {
    assertThat(rate("at", "1").zone()).isEqualTo(Zone.EU);
    assertThat(rate(" de ", "1").zone()).isEqualTo(Zone.DOMESTIC);
    assertThat(rate("CH", "1").zone()).isEqualTo(Zone.WORLD);
  }

  @Test
  void refusesWhatCannotBeShipped() {
    assertThatThrownBy(() -> rate("Germany", "1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rate("DE", "0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rate("DE", "-1")).isInstanceOf(IllegalArgumentException.class);
  }

  private Rate rate(String country, String weightKg) {
    return tariff.rateFor(country, new BigDecimal(weightKg));
  }
}
