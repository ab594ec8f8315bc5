package dev.asyncshop.order.reports.web;

import dev.asyncshop.order.reports.CustomerHistory;
import dev.asyncshop.order.reports.HourlySales;
import dev.asyncshop.order.reports.Reports;
import dev.asyncshop.order.web.Caller;
import dev.asyncshop.order.web.PlainText;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The read models kept from orders.events: eventually consistent, a moment behind the orders
 * themselves. Sales are for staff; a customer's history for the customer and staff.
 */
@RestController
@RequestMapping("/reports")
class ReportController {

  /** The longest span one sales query covers: a month of hours per product. */
  private static final Duration LONGEST_SPAN = Duration.ofDays(31);

  private final Reports reports;
  private final Clock clock;

  ReportController(Reports reports) {
    this.reports = reports;
    this.clock = Clock.systemUTC();
  }

  @Operation(
      summary = "Sales per product per hour",
      description =
          "Orders placed in each hour of [from, to) (the last 24 hours by default, 31 days at"
              + " most), per product: units ordered, shipped and ended unshipped so far, and the"
              + " revenue of the shipped ones. Staff only.")
  @GetMapping("/sales")
  List<HourlySales> sales(
      Authentication authentication,
      @RequestParam(required = false) @Nullable Instant from,
      @RequestParam(required = false) @Nullable Instant to,
      @RequestParam(required = false) @Size(max = 64) @PlainText @Nullable String sku) {
    if (!Caller.of(authentication).seesEveryOrder()) {
      throw new AccessDeniedException("Sales are for staff");
    }
    Instant end =
        to != null ? to : clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    Instant start = from != null ? from : end.minus(Duration.ofDays(1));
    if (!start.isBefore(end)) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from must be before to");
    }
    if (Duration.between(start, end).compareTo(LONGEST_SPAN) > 0) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "from and to may be at most 31 days apart");
    }
    return reports.sales(start, end, sku);
  }

  @Operation(
      summary = "A customer's orders",
      description =
          "How many orders the customer placed, shipped and ended unshipped, what the shipped ones"
              + " came to, and the latest ones. A customer sees only their own (403 otherwise).")
  @GetMapping("/customers/{customerId}")
  CustomerHistory customer(
      Authentication authentication,
      @PathVariable @Size(max = 100) @PlainText String customerId,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int recent) {
    if (!Caller.of(authentication).maySee(customerId)) {
      throw new AccessDeniedException("A customer sees only their own orders");
    }
    return reports.customer(customerId, recent);
  }
}
