package dev.asyncshop.payment.gateway;

import org.jspecify.annotations.Nullable;

/** The gateway's answer: the amount is authorized, or it is declined for a reason. */
public record GatewayAnswer(boolean approved, @Nullable String declineReason) {

  public static GatewayAnswer approve() {
    return new GatewayAnswer(true, null);
  }

  public static GatewayAnswer decline(String reason) {
    return new GatewayAnswer(false, reason);
  }
}
