package dev.asyncshop.order;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.order.StandInMessages.Authorize;
import dev.asyncshop.order.StandInMessages.Authorized;
import dev.asyncshop.order.StandInMessages.Rejected;
import dev.asyncshop.order.StandInMessages.Reserved;
import dev.asyncshop.order.StandInMessages.Scheduled;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.Lifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The read models of the orders over HTTP: kept from orders.events by their projections, rebuilt on
 * an operator's request beside the ones in use, and equal to the orders themselves afterwards, with
 * orders placed during the rebuild neither lost nor counted twice.
 */
class ReportsIntegrationTests extends OrderServiceIntegrationSupport {

  static final Duration REBUILT = Duration.ofSeconds(60);

  @Autowired Projections projections;

  record SalesJson(
      String sku,
      Instant hour,
      int orders,
      int unitsOrdered,
      int unitsShipped,
      int unitsCancelled,
      BigDecimal revenue) {}

  record CustomerOrderJson(
      UUID orderId,
      Instant placedAt,
      String status,
      int items,
      BigDecimal total,
      String currency,
      String trackingNumber) {}

  record CustomerJson(
      String customerId,
      int orders,
      int shipped,
      int endedUnshipped,
      BigDecimal spent,
      List<CustomerOrderJson> recent) {}

  record GenerationJson(int number, String state, String requestedBy, long events, Long lag) {}

  record ProjectionJson(String name, List<String> topics, List<GenerationJson> generations) {

    GenerationJson active() {
      return generations.stream().filter(g -> g.state().equals("ACTIVE")).findFirst().orElse(null);
    }
  }

  static String asOperator() {
    return TOKENS.bearer("it-ops", "OPS");
  }

  CustomerJson history(String customer) {
    return http.get()
        .uri("/reports/customers/{id}", customer)
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(CustomerJson.class)
        .returnResult()
        .getResponseBody();
  }

  /** A product's sales in the orders placed in the last hours, as the sales report sums them. */
  SalesJson salesAroundNow(String sku) {
    Instant now = Instant.now();
    List<SalesJson> hours =
        http.get()
            .uri(
                "/reports/sales?sku={sku}&from={from}&to={to}",
                sku,
                now.minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS),
                now.plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<List<SalesJson>>() {})
            .returnResult()
            .getResponseBody();
    return hours.stream()
        .reduce(
            new SalesJson(sku, now, 0, 0, 0, 0, BigDecimal.ZERO),
            (a, b) ->
                new SalesJson(
                    sku,
                    now,
                    a.orders() + b.orders(),
                    a.unitsOrdered() + b.unitsOrdered(),
                    a.unitsShipped() + b.unitsShipped(),
                    a.unitsCancelled() + b.unitsCancelled(),
                    a.revenue().add(b.revenue())));
  }

  ProjectionJson projection(String name) {
    return http.get()
        .uri("/ops/projections/{name}", name)
        .header(HttpHeaders.AUTHORIZATION, asOperator())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(ProjectionJson.class)
        .returnResult()
        .getResponseBody();
  }

  void ship(UUID id) {
    awaitReceived(id, "inventory.reserve.v1");
    publish(id, new Reserved(id, List.of(new StandInMessages.Line("MUG", 2))));
    Authorize authorize = (Authorize) awaitReceived(id, "payment.authorize.v1").message();
    publish(id, new Authorized(id, "pay-" + id, authorize.amount(), authorize.currency()));
    awaitReceived(id, "shipping.schedule.v1");
    publish(id, new Scheduled(id, "shp-" + id, "TRK-" + id, "DHL", LocalDate.now()));
    awaitStatus(id, "SHIPPED");
  }

  @Test
  void aShippedAndARejectedOrderShowInTheCustomersHistoryAndTheSales() {
    String customer = customer();
    UUID shipped = place(customer);
    ship(shipped);
    UUID rejected = place(customer);
    awaitReceived(rejected, "inventory.reserve.v1");
    publish(rejected, new Rejected(rejected, "out of stock: MUG"));
    awaitStatus(rejected, "REJECTED");
    BigDecimal total = order(shipped).totals().total();

    CustomerJson history =
        await()
            .atMost(WAIT)
            .until(() -> history(customer), h -> h.shipped() == 1 && h.endedUnshipped() == 1);
    assertThat(history.orders()).isEqualTo(2);
    assertThat(history.spent()).isEqualByComparingTo(total);
    assertThat(history.recent())
        .extracting(CustomerOrderJson::orderId, CustomerOrderJson::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(rejected, "REJECTED"),
            org.assertj.core.groups.Tuple.tuple(shipped, "SHIPPED"));
    assertThat(history.recent().get(1).trackingNumber()).isEqualTo("TRK-" + shipped);
    assertThat(history.recent().get(1).items()).isEqualTo(3);

    // The sales of mugs, over every order of this class so far, as the orders themselves say.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SalesJson mugs = salesAroundNow("MUG");
              Map<String, Object> expected =
                  jdbc.sql(
                          "select count(distinct o.id) as orders, sum(l.quantity) as ordered,"
                              + " coalesce(sum(l.quantity) filter (where o.status = 'SHIPPED'), 0)"
                              + " as shipped, coalesce(sum(l.quantity) filter (where o.status in"
                              + " ('REJECTED', 'CANCELLED')), 0) as cancelled,"
                              + " coalesce(sum(l.quantity * l.unit_price)"
                              + " filter (where o.status = 'SHIPPED'), 0) as revenue"
                              + " from orders o join order_line l on l.order_id = o.id"
                              + " where l.sku = 'MUG'")
                      .query()
                      .singleRow();
              assertThat(mugs.orders()).isEqualTo(((Number) expected.get("orders")).intValue());
              assertThat(mugs.unitsOrdered())
                  .isEqualTo(((Number) expected.get("ordered")).intValue());
              assertThat(mugs.unitsShipped())
                  .isEqualTo(((Number) expected.get("shipped")).intValue());
              assertThat(mugs.unitsCancelled())
                  .isEqualTo(((Number) expected.get("cancelled")).intValue());
              assertThat(mugs.revenue()).isEqualByComparingTo((BigDecimal) expected.get("revenue"));
            });
    assertThat(salesAroundNow("MUG").unitsShipped()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aRebuildUnderLiveOrdersGivesReadModelsEqualToTheOrders() throws Exception {
    List<UUID> placed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      placed.add(place(customer()));
    }
    int salesBefore = projection("product-sales").active().number();
    int customersBefore = projection("customer-orders").active().number();
    CompletableFuture<List<UUID>> meanwhile =
        CompletableFuture.supplyAsync(
            () -> {
              List<UUID> more = new ArrayList<>();
              for (int i = 0; i < 8; i++) {
                more.add(place(customer()));
              }
              return more;
            });
    for (String name : List.of("product-sales", "customer-orders")) {
      ProjectionJson asked =
          http.post()
              .uri("/ops/projections/{name}/rebuild", name)
              .header(HttpHeaders.AUTHORIZATION, asOperator())
              .exchange()
              .expectStatus()
              .isEqualTo(HttpStatus.ACCEPTED)
              .expectHeader()
              .location("/ops/projections/" + name)
              .expectBody(ProjectionJson.class)
              .returnResult()
              .getResponseBody();
      assertThat(asked.generations()).extracting(GenerationJson::state).contains("BUILDING");
      assertThat(asked.generations().get(0).requestedBy()).isEqualTo("it-ops");
    }
    placed.addAll(meanwhile.get());

    await()
        .atMost(REBUILT)
        .until(
            () ->
                projection("product-sales").active().number() > salesBefore
                    && projection("customer-orders").active().number() > customersBefore);
    // Every order once, as the orders themselves say, once the saga's time-outs have settled.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      jdbc.sql(
                              "select o.id, o.status from orders o"
                                  + " full join customer_order c on c.order_id = o.id"
                                  + " where c.order_id is null or o.id is null"
                                  + " or c.status <> o.status")
                          .query()
                          .listOfRows())
                  .isEmpty();
              assertThat(
                      jdbc.sql("select coalesce(sum(units_ordered), 0) from product_sales_hourly")
                          .query(Long.class)
                          .single())
                  .isEqualTo(
                      jdbc.sql("select coalesce(sum(quantity), 0) from order_line")
                          .query(Long.class)
                          .single());
              assertThat(
                      jdbc.sql("select coalesce(sum(orders), 0) from product_sales_hourly")
                          .query(Long.class)
                          .single())
                  .isEqualTo(
                      jdbc.sql("select count(*) from order_line").query(Long.class).single());
            });
    assertThat(
            jdbc.sql("select count(*) from customer_order where order_id in (:ids)")
                .param("ids", placed)
                .query(Long.class)
                .single())
        .isEqualTo(16);
    // The retired generation's schema is dropped within a second or so.
    ProjectionJson sales =
        await()
            .atMost(WAIT)
            .until(() -> projection("product-sales"), p -> p.generations().size() == 1);
    assertThat(sales.topics()).containsExactly(prefix + "orders.events");
    assertThat(sales.active().lag()).isNotNull();
    await().atMost(WAIT).until(() -> projection("product-sales").active().lag() == 0);
  }

  @Test
  void readModelsAndRebuildsAreForWhomTheyAreMeant() {
    String customer = customer();
    http.get()
        .uri("/reports/sales")
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/reports/customers/{id}", "someone-else")
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get().uri("/reports/customers/{id}", customer).exchange().expectStatus().isOk();
    anonymous.get().uri("/reports/sales").exchange().expectStatus().isUnauthorized();
    http.post()
        .uri("/ops/projections/product-sales/rebuild")
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri("/reports/sales?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.get()
        .uri("/reports/sales?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z")
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.post()
        .uri("/ops/projections/no-such/rebuild")
        .header(HttpHeaders.AUTHORIZATION, asOperator())
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("urn:asyncshop:problem:projections:unknown_projection");

    place(customer);
    int before = projection("customer-orders").active().number();
    // No writer runs meanwhile, so the first rebuild is still under way when the second is asked.
    Lifecycle engine = (Lifecycle) projections;
    engine.stop();
    try {
      http.post()
          .uri("/ops/projections/customer-orders/rebuild")
          .header(HttpHeaders.AUTHORIZATION, asOperator())
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.ACCEPTED);
      Map<String, Object> refused =
          http.post()
              .uri("/ops/projections/customer-orders/rebuild")
              .header(HttpHeaders.AUTHORIZATION, asOperator())
              .exchange()
              .expectStatus()
              .isEqualTo(HttpStatus.CONFLICT)
              .expectBody(new ParameterizedTypeReference<Map<String, Object>>() {})
              .returnResult()
              .getResponseBody();
      assertThat(refused)
          .containsEntry("type", "urn:asyncshop:problem:projections:rebuild_in_progress");
    } finally {
      engine.start();
    }
    await().atMost(REBUILT).until(() -> projection("customer-orders").active().number() > before);
  }
}
