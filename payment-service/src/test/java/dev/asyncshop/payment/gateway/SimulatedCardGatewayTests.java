package dev.asyncshop.payment.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The simulated gateway's documented rules. */
class SimulatedCardGatewayTests {

  final GatewaySettings settings = new GatewaySettings(new BigDecimal("1000.00"), 0, Duration.ZERO);
  final SimulatedOutage outage = new SimulatedOutage(settings);
  final SimulatedCardGateway gateway = new SimulatedCardGateway(settings, outage);

  private static SimulatedCardGateway gatewayWith(GatewaySettings settings) {
    return new SimulatedCardGateway(settings, new SimulatedOutage(settings));
  }

  @Test
  void authorizesUpToTheLimitWithAnOrdinaryCard() {
    assertThat(answer("19.90", "tok_visa")).isEqualTo(GatewayAnswer.approve());
    assertThat(answer("1000.00", "tok_visa")).isEqualTo(GatewayAnswer.approve());
  }

  @Test
  void declinesAboveTheLimit() {
    assertThat(answer("1000.01", "tok_visa"))
        .isEqualTo(GatewayAnswer.decline("amount above limit of 1000.00"));
  }

  @Test
  void declinesTheTestCards() {
    assertThat(answer("10.00", "tok_declined")).isEqualTo(GatewayAnswer.decline("card declined"));
    assertThat(answer("10.00", "tok_insufficient_funds"))
        .isEqualTo(GatewayAnswer.decline("insufficient funds"));
  }

  @Test
  void declinesWhatCannotBeCharged() {
    assertThat(answer("0.00", "tok_visa")).isEqualTo(GatewayAnswer.decline("invalid amount"));
    assertThat(answer("-5.00", "tok_visa")).isEqualTo(GatewayAnswer.decline("invalid amount"));
    assertThat(answer("10.00", null)).isEqualTo(GatewayAnswer.decline("no card"));
    assertThat(answer("10.00", " ")).isEqualTo(GatewayAnswer.decline("no card"));
  }

  @Test
  void failsLikeAnUnreachableGatewayAtTheConfiguredRate() {
    SimulatedCardGateway down =
        gatewayWith(new GatewaySettings(new BigDecimal("1000.00"), 1, Duration.ZERO));

    assertThatThrownBy(
            () -> down.authorize(new CardCharge("order-1", BigDecimal.TEN, "EUR", "tok_visa")))
        .isInstanceOf(GatewayUnavailableException.class);
  }

  @Test
  void goesDownAndComesBackWhileTheServiceRuns() {
    CardCharge charge = new CardCharge("order-1", BigDecimal.TEN, "EUR", "tok_visa");

    outage.failureRate(1.0);
    assertThatThrownBy(() -> gateway.authorize(charge))
        .isInstanceOf(GatewayUnavailableException.class);
    outage.failureRate(0.0);
    assertThat(gateway.authorize(charge)).isEqualTo(GatewayAnswer.approve());

    assertThatThrownBy(() -> outage.failureRate(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> outage.failureRate(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(outage.failureRate()).isZero();
  }

  @Test
  void takesTheConfiguredTime() {
    SimulatedCardGateway slow =
        gatewayWith(new GatewaySettings(new BigDecimal("1000.00"), 0, Duration.ofMillis(50)));
    long start = System.nanoTime();

    slow.authorize(new CardCharge("order-1", BigDecimal.TEN, "EUR", "tok_visa"));

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void refusesSettingsOutOfRange() {
    assertThatThrownBy(() -> new GatewaySettings(BigDecimal.TEN, 1.5, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GatewaySettings(BigDecimal.TEN, 0, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private GatewayAnswer answer(String amount, @Nullable String card) {
    return gateway.authorize(new CardCharge("order-1", new BigDecimal(amount), "EUR", card));
  }
}
