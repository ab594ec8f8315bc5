package dev.asyncshop.payment.gateway.web;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;

/**
 * The simulated gateway's outage as the API reads and sets it.
 *
 * @param failureRate the share of gateway calls, from 0 to 1, that fail as if the gateway were
 *     down: 1 takes it down, 0 brings it back
 */
record SimulatedOutageView(@NotNull @DecimalMin("0") @DecimalMax("1") BigDecimal failureRate) {}
