package dev.asyncshop.payment.gateway;

/** The gateway did not answer; asking again later may work, so the command is retried. */
public class GatewayUnavailableException extends RuntimeException {

  public GatewayUnavailableException(String message) {
    super(message);
  }
}
