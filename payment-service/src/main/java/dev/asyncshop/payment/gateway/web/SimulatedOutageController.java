package dev.asyncshop.payment.gateway.web;

import dev.asyncshop.payment.gateway.SimulatedOutage;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators (role OPS) take the simulated card gateway down and bring it back. */
@RestController
@RequestMapping("/ops/gateway")
class SimulatedOutageController {

  private static final Logger log = LoggerFactory.getLogger(SimulatedOutageController.class);

  private final SimulatedOutage outage;

  SimulatedOutageController(SimulatedOutage outage) {
    this.outage = outage;
  }

  @GetMapping
  @Operation(summary = "The share of calls the simulated card gateway fails, as if it were down")
  SimulatedOutageView current() {
    return new SimulatedOutageView(BigDecimal.valueOf(outage.failureRate()));
  }

  @PutMapping
  @Operation(
      summary =
          "Takes the simulated card gateway down (failureRate 1) or brings it back (0): authorize"
              + " commands wait in their queue while it is down, and go through once it is back")
  SimulatedOutageView change(@RequestBody @Valid SimulatedOutageView change, Principal operator) {
    outage.failureRate(change.failureRate().doubleValue());
    log.warn(
        "{} set the simulated card gateway to fail {} of its calls",
        operator.getName(),
        change.failureRate());
    return current();
  }
}
