package dev.asyncshop.payment.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated gateway's rules and its demo knobs, under {@code payment.gateway}.
 *
 * @param limit the highest amount authorized; anything above is declined
 * @param failureRate share of calls, from 0 to 1, that fail as if the gateway were down (retried,
 *     then given back to the queue until the gateway answers); the one the service starts with,
 *     changed while it runs through {@link SimulatedOutage}
 * @param latency how long each call takes
 */
@ConfigurationProperties("payment.gateway")
record GatewaySettings(
    @DefaultValue("1000.00") BigDecimal limit,
    @DefaultValue("0.0") double failureRate,
    @DefaultValue("0ms") Duration latency) {

  GatewaySettings {
    checkFailureRate(failureRate);
    if (latency.isNegative()) {
      throw new IllegalArgumentException("payment.gateway.latency cannot be negative: " + latency);
    }
  }

  /**
   * @throws IllegalArgumentException unless the rate is a share, from 0 to 1
   */
  static double checkFailureRate(double failureRate) {
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException(
          "payment.gateway.failure-rate must be between 0 and 1: " + failureRate);
    }
    return failureRate;
  }
}
