package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.QueryTimeoutException;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Asks shipping-service for a quote over RabbitMQ request/reply. The answer is asynchronous end to
 * end: the servlet thread is released while the query waits for its reply.
 */
@RestController
class ShippingQuoteController {

  private final MessageGateway gateway;

  ShippingQuoteController(MessageGateway gateway) {
    this.gateway = gateway;
  }

  @GetMapping("/shipping-quote")
  CompletableFuture<ShippingQuote> quote(
      @RequestParam @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000")
          BigDecimal weightKg) {
    return gateway.ask(new ShippingQuoteRequest(weightKg), ShippingQuote.class);
  }

  @ExceptionHandler(QueryTimeoutException.class)
  ProblemDetail shippingDidNotAnswer(QueryTimeoutException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT, e.getMessage());
    problem.setTitle("Shipping did not answer in time");
    return problem;
  }
}
