package dev.asyncshop.order.tracking.web;

import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.tracking.HistoryEntry;
import dev.asyncshop.order.tracking.OrderNotFoundException;
import dev.asyncshop.order.tracking.OrderPage;
import dev.asyncshop.order.tracking.OrderQueries;
import dev.asyncshop.order.tracking.OrderStreams;
import dev.asyncshop.order.web.Caller;
import dev.asyncshop.order.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Orders as their customers and the shop's staff see them. A customer sees only their own: another
 * customer's order answers 404, as an order that does not exist, so order ids cannot be probed.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

  private final OrderQueries queries;
  private final OrderStreams streams;

  OrderController(OrderQueries queries, OrderStreams streams) {
    this.queries = queries;
    this.streams = streams;
  }

  @Operation(summary = "An order with its lines, totals, address and timeline")
  @GetMapping("/{id}")
  OrderView order(Authentication authentication, @PathVariable UUID id) {
    OrderView order = queries.require(id);
    if (!Caller.of(authentication).maySee(order.customerId())) {
      throw new OrderNotFoundException(id);
    }
    return order;
  }

  @Operation(
      summary = "The order's events, as stored",
      description =
          "The order's stream from the event store, oldest first: the source of truth its state"
              + " and timeline are rebuilt from, and what orders.events carries.")
  @GetMapping("/{id}/history")
  List<HistoryEntry> history(Authentication authentication, @PathVariable UUID id) {
    order(authentication, id);
    return queries.history(id);
  }

  @Operation(
      summary = "Orders, newest first, optionally of one customer or in one status",
      description =
          "A customer gets their own orders; naming another customer is refused (403). Staff"
              + " see every customer's.")
  @GetMapping
  OrderPage orders(
      Authentication authentication,
      @RequestParam(required = false) @Size(max = 100) @PlainText @Nullable String customerId,
      @RequestParam(required = false) @Nullable OrderStatus status,
      @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
    Caller caller = Caller.of(authentication);
    if (!caller.seesEveryOrder()) {
      if (customerId != null && !customerId.equals(caller.id())) {
        throw new AccessDeniedException("A customer sees only their own orders");
      }
      customerId = caller.id();
    }
    return queries.page(customerId, status, page, size);
  }

  @Operation(
      summary = "The order's status changes as server-sent events",
      description =
          "Sends the timeline so far, then each new step, as events named 'status' with the"
              + " step's number as id; ends when the order has (SHIPPED, REJECTED, CANCELLED).")
  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      Authentication authentication,
      @PathVariable UUID id,
      @Parameter(description = "Resume after this step")
          @RequestHeader(name = "Last-Event-ID", required = false)
          @PositiveOrZero
          @Nullable Long lastEventId) {
    order(authentication, id);
    return StatusEvents.open(streams, id, lastEventId == null ? 0 : lastEventId);
  }
}
