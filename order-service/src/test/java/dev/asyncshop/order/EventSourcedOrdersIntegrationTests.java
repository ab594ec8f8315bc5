package dev.asyncshop.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.RetryTemplates;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.order.OrderEvent.OrderCarriedOver;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.TestDatabases;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event store under the orders: its streams only grow, a step decided on a stale order is
 * refused, and orders stored before the event store start their streams with their state. That
 * every saga path rebuilds to the stored order is checked after every test of every class built on
 * {@link OrderServiceIntegrationSupport}.
 */
class EventSourcedOrdersIntegrationTests extends OrderServiceIntegrationSupport {

  @Autowired TransactionTemplate transactions;
  @Autowired OrderEventCodec codec;
  @Autowired MeterRegistry meters;
  @Autowired RetryTemplates retries;
  @Autowired RouteTable routes;

  @Test
  void aStepDecidedOnAStaleOrderIsRefusedAndTheStreamKeepsTheStepStoredFirst() {
    UUID id = place(customer());
    awaitReceived(id, "inventory.reserve.v1");
    // Two writers load the same order without its lock, as a writer that forgot it would.
    Order first = orders.replay(id).orElseThrow();
    Order stale = orders.replay(id).orElseThrow();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    List<SagaCommand> firstCommands = first.markInventoryRejected("out of stock: MUG", now);
    List<SagaCommand> staleCommands = stale.markInventoryRejected("out of stock: TEE", now);

    transactions.executeWithoutResult(status -> orders.save(first, firstCommands));

    assertThatThrownBy(
            () -> transactions.executeWithoutResult(status -> orders.save(stale, staleCommands)))
        .isInstanceOf(ConcurrentOrderChangeException.class)
        .hasMessageContaining("already has an event at version 2");
    assertThat(orders.stream(id))
        .hasSize(2)
        .last()
        .isInstanceOfSatisfying(
            OrderEvent.OrderCancelled.class,
            cancelled -> assertThat(cancelled.answer()).isEqualTo("out of stock: MUG"));
    assertThat(storedTimeline(id)).hasSize(2);
  }

  /**
   * Every step takes its order's row lock before it reads the order's stream, so a step decided on
   * a stale order cannot happen to an answer: a step of the same order in another transaction
   * either committed before the answer's lock was granted, and the answer reads its events, or
   * waits for the answer. Only a writer that appends without taking the lock can be refused, as
   * above.
   */
  @Test
  void anAnswerForAnOrderAnotherStepIsChangingWaitsForThatStepAndIsAppliedAfterIt()
      throws Exception {
    UUID id = place(customer());
    awaitReceived(id, "inventory.reserve.v1");
    double retriedBefore = retried("inventory.reserved.v1");
    CompletableFuture<Void> stored = new CompletableFuture<>();
    CompletableFuture<Void> commit = new CompletableFuture<>();
    // The rejection is taken as the saga takes every step, and held uncommitted while the
    // reservation arrives.
    CompletableFuture<Void> rejection =
        CompletableFuture.runAsync(
            () ->
                transactions.executeWithoutResult(
                    status -> {
                      Order order = orders.lock(id).orElseThrow();
                      Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                      orders.save(order, order.markInventoryRejected("out of stock: MUG", now));
                      stored.complete(null);
                      commit.join();
                    }));
    try {
      stored.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      publish(
          id,
          new StandInMessages.Reserved(
              id, List.of(new StandInMessages.Line("MUG", 2), new StandInMessages.Line("TEE", 1))));
      await().atMost(WAIT).until(() -> stepsWaitingForAnOrderLock() > 0);
    } finally {
      commit.complete(null);
    }
    rejection.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // Applied to the rejected order, not to the pending one it found: released, never paid for.
    StandIns.Received release = awaitReceived(id, "inventory.release.v1");
    assertThat(((StandInMessages.Release) release.message()).reason())
        .isEqualTo("order rejected before the reservation");
    await().atMost(WAIT).until(() -> storedTimeline(id).size() == 3);
    assertThat(storedTimeline(id))
        .extracting(TimelineEntry::status, TimelineEntry::detail)
        .endsWith(
            tuple(OrderStatus.REJECTED, "Inventory rejected the reservation: out of stock: MUG"),
            tuple(
                OrderStatus.REJECTED,
                "Inventory reserved after the order was rejected; release requested"));
    assertThat(orders.stream(id))
        .extracting(OrderEvent::version, event -> event.getClass().getSimpleName())
        .containsExactly(
            tuple(1, "OrderPlaced"), tuple(2, "OrderCancelled"), tuple(3, "OrderAnswerRecorded"));
    assertThat(recorder.of(id, "payment.authorize.v1")).isEmpty();
    assertThat(retried("inventory.reserved.v1"))
        .as("runs after the first")
        .isEqualTo(retriedBefore);
  }

  /**
   * Should a step of an answer be refused all the same, the library's retry policy for every answer
   * the saga takes classes the refusal as one to try again (in a new transaction, which loads the
   * order afresh), not as poison to dead-letter nor as a dependency being down.
   */
  @Test
  void aStepRefusedForAStaleOrderIsRetryableForEveryAnswerAndNeverAnOutage() {
    ConcurrentOrderChangeException refused =
        new ConcurrentOrderChangeException(
            UUID.randomUUID(), 2, new DuplicateKeyException("order_event_pkey"));

    for (String answer :
        List.of(
            "inventory.reserved.v1",
            "inventory.rejected.v1",
            "payment.authorized.v1",
            "payment.declined.v1",
            "shipment.scheduled.v1")) {
      Route route = routes.get(answer);
      assertThat(retries.isRetryable(route, refused)).as(answer).isTrue();
      assertThat(retries.isUnavailable(route, refused)).as(answer).isFalse();
    }
  }

  /** Transactions of this database waiting for an order's row lock. */
  private long stepsWaitingForAnOrderLock() {
    return jdbc.sql(
            "select count(*) from pg_stat_activity where datname = current_database()"
                + " and wait_event_type = 'Lock' and query like '%from orders where id = % for"
                + " update'")
        .query(Long.class)
        .single();
  }

  private double retried(String type) {
    return meters.find("messaging.retried").tags("type", type).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  record HistoryJson(int version, String type, Instant at, Map<String, Object> data) {}

  @Test
  void anOrdersHistoryIsItsStreamAsStoredAndOnlyItsCustomerAndStaffSeeIt() {
    String customer = customer();
    UUID id = place(customer);
    awaitReceived(id, "inventory.reserve.v1");
    publish(id, new StandInMessages.Rejected(id, "out of stock: MUG"));
    awaitStatus(id, "REJECTED");

    List<HistoryJson> history =
        http.get()
            .uri("/orders/{id}/history", id)
            .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<List<HistoryJson>>() {})
            .returnResult()
            .getResponseBody();

    assertThat(history)
        .extracting(HistoryJson::version, HistoryJson::type)
        .containsExactly(tuple(1, "order.placed.v1"), tuple(2, "order.cancelled.v1"));
    assertThat(history.get(0).data()).containsEntry("orderId", id.toString());
    assertThat(history.get(1).data())
        .containsEntry("status", "REJECTED")
        .containsEntry("answer", "out of stock: MUG");
    http.get()
        .uri("/orders/{id}/history", id)
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer()))
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void anOrderChangedByAnInstanceWithoutTheEventStoreGoesOnFromWhereThatInstanceLeftIt() {
    UUID id = place(customer());
    awaitReceived(id, "inventory.reserve.v1");
    // An instance of the version before, running beside this one in a rolling upgrade, handled
    // the reservation: it changed the order's row and timeline, and appended no event.
    Instant reservedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    jdbc.sql(
            "update orders set status = 'INVENTORY_RESERVED', deadline_at = ?, updated_at = ?"
                + " where id = ?")
        .params(timestamp(reservedAt.plusSeconds(60)), timestamp(reservedAt), id)
        .update();
    jdbc.sql(
            "insert into order_timeline (order_id, status, at, detail) values (?,"
                + " 'INVENTORY_RESERVED', ?, 'Inventory reserved; payment authorization requested')")
        .params(id, timestamp(reservedAt))
        .update();

    publish(id, new StandInMessages.Authorized(id, "pay-1", new BigDecimal("49.89"), "EUR"));

    awaitStatus(id, "CONFIRMED");
    awaitReceived(id, "shipping.schedule.v1");
    assertThat(orders.stream(id))
        .extracting(OrderEvent::version, event -> event.getClass().getSimpleName())
        .containsExactly(
            tuple(1, "OrderPlaced"),
            tuple(2, "OrderCarriedOver"),
            tuple(3, "OrderPaid"),
            tuple(4, "OrderConfirmed"));
    assertThat(((OrderCarriedOver) orders.stream(id).get(1)).status())
        .isEqualTo(OrderStatus.INVENTORY_RESERVED);
  }

  @Test
  void storedEventsCanBeNeitherChangedNorRemoved() {
    UUID id = place(customer());

    assertThatThrownBy(
            () ->
                jdbc.sql("update order_event set data = '{}' where order_id = ?")
                    .param(id)
                    .update())
        .hasMessageContaining("order_event is append-only: UPDATE refused");
    assertThatThrownBy(
            () -> jdbc.sql("delete from order_event where order_id = ?").param(id).update())
        .hasMessageContaining("order_event is append-only: DELETE refused");
    assertThat(orders.stream(id)).hasSize(1);
  }

  @Test
  void anOrderStoredBeforeTheEventStoreStartsItsStreamWithItsStateAsItWas() {
    String url = TestDatabases.create("orders_carried");
    Endpoint postgres = Brokers.postgres();
    SimpleDriverDataSource database =
        new SimpleDriverDataSource(
            new org.postgresql.Driver(), url, postgres.username(), postgres.password());
    Flyway.configure().dataSource(database).target("3").load().migrate();
    JdbcClient before = JdbcClient.create(database);
    UUID id = UUID.randomUUID();
    Instant placed = Instant.parse("2026-11-30T09:15:02.123456Z");
    Instant deadline = Instant.parse("2026-11-30T09:15:32.123456Z");
    before
        .sql(
            "insert into orders (id, customer_id, status, currency, items_total, shipping_price,"
                + " total, weight_kg, ship_name, ship_street, ship_city, ship_postal_code,"
                + " ship_country, card_token, deadline_at, placed_at, updated_at) values (?,"
                + " 'customer-1', 'INVENTORY_RESERVED', 'EUR', 44.99, 4.90, 49.89, 1.000, 'Ada',"
                + " 'Main St 1', 'Berlin', '10115', 'DE', 'enc:v1:k:abc', ?, ?, ?)")
        .params(id, timestamp(deadline), timestamp(placed), timestamp(placed.plusSeconds(1)))
        .update();
    before
        .sql(
            "insert into order_line values (?, 1, 'MUG', 'Mug', 2, 12.50, 0.400),"
                + " (?, 2, 'TEE', 'T-shirt', 1, 19.99, 0.200)")
        .params(id, id)
        .update();

    Flyway.configure().dataSource(database).load().migrate();

    List<OrderEvent> stream =
        before
            .sql("select type, data from order_event where order_id = ? order by version")
            .param(id)
            .query((rs, n) -> codec.read(rs.getString("type"), rs.getString("data")))
            .list();
    assertThat(stream).singleElement().isInstanceOf(OrderCarriedOver.class);
    ShippingAddress address = new ShippingAddress("Ada", "Main St 1", "Berlin", "10115", "DE");
    Order order = Order.replay(id, stream, new Order.PersonalData(address, "tok_visa"));
    assertThat(order.snapshot())
        .usingRecursiveComparison()
        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
        .isEqualTo(
            new Order.Snapshot(
                id,
                "customer-1",
                List.of(
                    new OrderLine(
                        "MUG", "Mug", 2, new BigDecimal("12.50"), new BigDecimal("0.400")),
                    new OrderLine(
                        "TEE", "T-shirt", 1, new BigDecimal("19.99"), new BigDecimal("0.200"))),
                address,
                new BigDecimal("1.000"),
                new dev.asyncshop.order.Totals(
                    new BigDecimal("44.99"),
                    new BigDecimal("4.90"),
                    new BigDecimal("49.89"),
                    "EUR"),
                placed,
                OrderStatus.INVENTORY_RESERVED,
                "tok_visa",
                null,
                deadline,
                1));
    assertThat(order.timeline()).as("the stored timeline stays the history").isEmpty();
    // The carried-over order goes on from there.
    order.markPaymentDeclined("card expired", placed.plusSeconds(5));
    assertThat(order.newEvents()).singleElement().extracting(OrderEvent::version).isEqualTo(2);
  }

  private static java.sql.Timestamp timestamp(Instant instant) {
    return java.sql.Timestamp.from(instant);
  }
}
