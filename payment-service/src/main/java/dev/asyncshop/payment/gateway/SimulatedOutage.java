package dev.asyncshop.payment.gateway;

import org.springframework.stereotype.Component;

/**
 * How often the simulated card gateway fails as if it could not be reached: {@code
 * payment.gateway.failure-rate} when the service starts, changed while it runs by an operator
 * ({@code PUT /ops/gateway}), so the gateway can be taken down and brought back to show what an
 * outage of a dependency does: authorize commands wait in their queue behind the consumer's circuit
 * breaker, none is dead-lettered, and all go through once the gateway is back.
 */
@Component
public class SimulatedOutage {

  private volatile double failureRate;

  SimulatedOutage(GatewaySettings settings) {
    this.failureRate = settings.failureRate();
  }

  /** The share of calls, from 0 to 1, that fail as if the gateway were down. */
  public double failureRate() {
    return failureRate;
  }

  /**
   * Takes the gateway down (1), brings it back (0), or anything between, from the next call on.
   *
   * @throws IllegalArgumentException unless the rate is from 0 to 1
   */
  public void failureRate(double failureRate) {
    this.failureRate = GatewaySettings.checkFailureRate(failureRate);
  }
}
