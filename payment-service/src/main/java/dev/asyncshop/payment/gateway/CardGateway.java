package dev.asyncshop.payment.gateway;

/** Authorizes amounts on customers' cards. */
public interface CardGateway {

  /**
   * Asks for an authorization. A refusal is an answer, not an exception.
   *
   * @throws GatewayUnavailableException if the gateway could not be reached
   */
  GatewayAnswer authorize(CardCharge charge);
}
