package dev.asyncshop.payment.gateway;

import java.math.BigDecimal;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/**
 * A card gateway with fixed, documented rules, so every outcome can be produced on purpose:
 *
 * <ol>
 *   <li>it waits {@code payment.gateway.latency} (0 by default);
 *   <li>it fails, as an unreachable gateway would, on a {@code payment.gateway.failure-rate} share
 *       of calls (0 by default; changed while the service runs, see {@link SimulatedOutage}): the
 *       command is then retried, and given back to its queue while the gateway stays down;
 *   <li>it declines an amount of zero or less ("invalid amount"), a charge without a card token
 *       ("no card"), the test card {@code tok_declined} ("card declined"), the test card {@code
 *       tok_insufficient_funds} ("insufficient funds"), and an amount above {@code
 *       payment.gateway.limit}, 1000.00 by default ("amount above limit of 1000.00"), in that
 *       order;
 *   <li>it authorizes everything else.
 * </ol>
 *
 * The limit does not look at the currency: there is no exchange rate in a simulation.
 */
@Component
class SimulatedCardGateway implements CardGateway {

  static final String DECLINED_CARD = "tok_declined";
  static final String INSUFFICIENT_FUNDS_CARD = "tok_insufficient_funds";

  private final GatewaySettings settings;
  private final SimulatedOutage outage;

  SimulatedCardGateway(GatewaySettings settings, SimulatedOutage outage) {
    this.settings = settings;
    this.outage = outage;
  }

  @Override
  public GatewayAnswer authorize(CardCharge charge) {
    pause();
    double failureRate = outage.failureRate();
    if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
      throw new GatewayUnavailableException(
          "Simulated gateway outage for order " + charge.orderId());
    }
    if (charge.amount().signum() <= 0) {
      return GatewayAnswer.decline("invalid amount");
    }
    String card = charge.cardToken();
    if (card == null || card.isBlank()) {
      return GatewayAnswer.decline("no card");
    }
    if (card.equals(DECLINED_CARD)) {
      return GatewayAnswer.decline("card declined");
    }
    if (card.equals(INSUFFICIENT_FUNDS_CARD)) {
      return GatewayAnswer.decline("insufficient funds");
    }
    BigDecimal limit = settings.limit();
    if (charge.amount().compareTo(limit) > 0) {
      return GatewayAnswer.decline("amount above limit of " + limit.toPlainString());
    }
    return GatewayAnswer.approve();
  }

  private void pause() {
    if (settings.latency().isZero()) {
      return;
    }
    try {
      Thread.sleep(settings.latency().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GatewayUnavailableException("Interrupted while waiting for the gateway");
    }
  }
}
