package dev.asyncshop.order.placement.web;

import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.placement.OrderPlacement;
import dev.asyncshop.order.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes orders. The answer is {@code 202 Accepted}: the order is stored and its saga started, and
 * its outcome follows at {@code Location}. The request thread is not held while shipping is asked.
 */
@RestController
class OrderPlacementController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final OrderPlacement placement;

  OrderPlacementController(OrderPlacement placement) {
    this.placement = placement;
  }

  @Operation(
      summary = "Places an order",
      description =
          "Prices the items from this service's copy of the catalogue and shipping from a quote"
              + " (or, when no quote can be had, from the published tariff), stores the order"
              + " PENDING and starts its saga, for the customer the bearer token names. Stock is"
              + " not checked here: the reservation decides. 503 with Retry-After while the"
              + " catalogue is still loading. With an"
              + " Idempotency-Key, repeating the request"
              + " returns the first answer; the same key with a different body is refused (422).")
  @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<OrderView>> place(
      Authentication caller,
      @Valid @RequestBody PlaceOrderRequest request,
      @Parameter(description = "Makes a repeated request return the first answer")
          @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
          @Size(min = 1, max = 200)
          @PlainText
          @Nullable String idempotencyKey) {
    return placement
        .place(request.toCommand(caller.getName()), idempotencyKey)
        .thenApply(
            placed ->
                ResponseEntity.accepted()
                    .location(URI.create("/orders/" + placed.order().id()))
                    .header("Idempotent-Replayed", Boolean.toString(placed.replayed()))
                    .body(placed.order()));
  }
}
