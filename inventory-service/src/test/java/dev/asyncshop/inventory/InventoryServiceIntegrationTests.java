package dev.asyncshop.inventory;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.inventory.OrderServiceMessages.Line;
import dev.asyncshop.inventory.OrderServiceMessages.ProductState;
import dev.asyncshop.inventory.OrderServiceMessages.ReleaseInventory;
import dev.asyncshop.inventory.OrderServiceMessages.ReserveInventory;
import dev.asyncshop.inventory.OrderServiceMessages.StockChanged;
import dev.asyncshop.inventory.stock.Catalogue;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.MessageType;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.testkit.BrokerRedelivery;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestNames;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * inventory-service against RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and the shared embedded
 * Kafka: commands go in through its queues, events are read back from its Kafka topic.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@Import({TestTokensConfiguration.class, BrokerRedelivery.class})
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
class InventoryServiceIntegrationTests {

  /** Before every queue, topic and channel of this run, so no other run sees its messages. */
  static final String PREFIX = TestNames.unique("it") + ".";

  static final String EVENTS = PREFIX + "inventory.events";
  static final String PRODUCTS = PREFIX + "inventory.products";
  static final Duration WAIT = Duration.ofSeconds(20);

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    ServiceTestProperties.register(registry, "inventory", PREFIX);
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class Listeners {

    @Bean
    StockListener stockListener() {
      return new StockListener();
    }

    /** Beside the log and the audit topic: what this service audits, for the tests to read. */
    @Bean
    AuditSink recordingAuditSink() {
      return audited::add;
    }
  }

  static final List<AuditRecord> audited = new CopyOnWriteArrayList<>();

  /** Listens to the stock broadcast the way any other service would. */
  static class StockListener {

    final List<StockChanged> heard = new CopyOnWriteArrayList<>();
    final Map<StockChanged, List<Envelope>> envelopes = new ConcurrentHashMap<>();

    @HandleMessage(group = "stock-listener")
    void on(StockChanged notice, Envelope envelope) {
      heard.add(notice);
      envelopes.computeIfAbsent(notice, n -> new CopyOnWriteArrayList<>()).add(envelope);
    }
  }

  static final JsonMapper JSON = JsonMapper.builder().build();

  RestTestClient http;

  /** Every request as an operator, whose role admits every endpoint, actuator details included. */
  @BeforeEach
  void signedInAsOperator(@Autowired RestTestClient client) {
    http =
        client
            .mutate()
            .defaultHeader(HttpHeaders.AUTHORIZATION, TOKENS.bearer("it-operator", "OPS"))
            .build();
  }

  @Autowired MessageGateway gateway;
  @Autowired MeterRegistry meters;
  @Autowired Catalogue catalogue;
  @Autowired Stock stock;
  @Autowired JdbcClient jdbc;
  @Autowired StockListener stockListener;
  @Autowired BrokerRedelivery redelivery;

  @Test
  void reservesEveryLineAndPublishesReserved() {
    stock.setLevel("SKU-001", 10);
    stock.setLevel("SKU-002", 10);
    String order = newOrderId();

    gateway.send(
        new ReserveInventory(
            order,
            List.of(new Line("SKU-001", 2), new Line("SKU-002", 1), new Line("SKU-001", 1))));

    ConsumerRecord<String, byte[]> record = awaitEvent(order, "inventory.reserved.v1");
    JsonNode reserved = JSON.readTree(record.value());
    assertThat(reserved.get("orderId").asString()).isEqualTo(order);
    assertThat(reserved.get("lines").toString())
        .isEqualTo("[{\"sku\":\"SKU-001\",\"quantity\":3},{\"sku\":\"SKU-002\",\"quantity\":1}]");
    assertThat(KafkaTopics.header(record, "ce_subject")).isEqualTo(order);
    assertThat(stockOf("SKU-001")).isEqualTo(7);
    assertThat(stockOf("SKU-002")).isEqualTo(9);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(stockListener.heard)
                    .contains(new StockChanged("SKU-001", 7), new StockChanged("SKU-002", 9)));
    // broadcast after the reservation's transaction committed, still in the command's flow
    assertThat(stockListener.envelopes.get(new StockChanged("SKU-001", 7)))
        .anySatisfy(
            broadcast -> {
              assertThat(broadcast.correlationId())
                  .isEqualTo(KafkaTopics.header(record, "ce_correlationid"));
              assertThat(broadcast.causationId())
                  .isEqualTo(KafkaTopics.header(record, "ce_causationid"));
            });
  }

  @Test
  void rejectsAnOrderWithAShortLineAndTakesNothing() {
    stock.setLevel("SKU-003", 5);
    stock.setLevel("SKU-004", 1);
    String shortOrder = newOrderId();
    String unknownOrder = newOrderId();

    gateway.send(
        new ReserveInventory(shortOrder, List.of(new Line("SKU-003", 2), new Line("SKU-004", 3))));
    gateway.send(
        new ReserveInventory(
            unknownOrder, List.of(new Line("SKU-003", 1), new Line("SKU-999", 1))));

    String shortReason = reason(awaitEvent(shortOrder, "inventory.rejected.v1"));
    assertThat(shortReason).contains("SKU-004").doesNotContain("SKU-003");
    assertThat(reason(awaitEvent(unknownOrder, "inventory.rejected.v1")))
        .isEqualTo("unknown SKU: SKU-999");
    assertThat(stockOf("SKU-003")).isEqualTo(5);
    assertThat(stockOf("SKU-004")).isEqualTo(1);
    assertThat(outboxed(shortOrder, "inventory.reserved.v1")).isZero();
  }

  @Test
  void aSecondReserveForTheSameOrderChangesNothing() {
    stock.setLevel("SKU-005", 10);
    String order = newOrderId();
    ReserveInventory command = new ReserveInventory(order, List.of(new Line("SKU-005", 4)));
    double handledBefore = handled("inventory.reserve", "inventory.reserve.v1");

    gateway.send(command);
    gateway.send(command);

    await()
        .atMost(WAIT)
        .until(() -> handled("inventory.reserve", "inventory.reserve.v1") == handledBefore + 2);
    awaitEvent(order, "inventory.reserved.v1");
    assertThat(outboxed(order, "inventory.reserved.v1")).isOne();
    assertThat(stockOf("SKU-005")).isEqualTo(6);
  }

  @Test
  void releaseGivesTheStockBackOnce() {
    stock.setLevel("SKU-005", 10);
    String order = newOrderId();
    gateway.send(new ReserveInventory(order, List.of(new Line("SKU-005", 3))));
    awaitEvent(order, "inventory.reserved.v1");
    assertThat(stockOf("SKU-005")).isEqualTo(7);
    double handledBefore = handled("inventory.release", "inventory.release.v1");

    gateway.send(new ReleaseInventory(order, "payment declined"));
    gateway.send(new ReleaseInventory(order, "payment declined"));

    awaitEvent(order, "inventory.released.v1");
    await()
        .atMost(WAIT)
        .until(() -> handled("inventory.release", "inventory.release.v1") == handledBefore + 2);
    assertThat(stockOf("SKU-005")).isEqualTo(10);
    assertThat(outboxed(order, "inventory.released.v1")).isOne();
  }

  /**
   * Each command the broker delivers twice, with one message id: the second delivery is skipped as
   * a duplicate, and the stock and the events show one.
   */
  @Test
  void aCommandTheBrokerDeliversTwiceChangesTheStockOnce() {
    stock.setLevel("SKU-006", 10);
    String order = newOrderId();
    double reservesBefore = consumed("inventory.reserve", "inventory.reserve.v1", "duplicate");
    double releasesBefore = consumed("inventory.release", "inventory.release.v1", "duplicate");

    redelivery.twice(
        () -> gateway.send(new ReserveInventory(order, List.of(new Line("SKU-006", 4)))));

    awaitEvent(order, "inventory.reserved.v1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                consumed("inventory.reserve", "inventory.reserve.v1", "duplicate")
                    == reservesBefore + 1);
    assertThat(stockOf("SKU-006")).isEqualTo(6);
    assertThat(outboxed(order, "inventory.reserved.v1")).isOne();

    redelivery.twice(() -> gateway.send(new ReleaseInventory(order, "payment declined")));

    awaitEvent(order, "inventory.released.v1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                consumed("inventory.release", "inventory.release.v1", "duplicate")
                    == releasesBefore + 1);
    assertThat(stockOf("SKU-006")).isEqualTo(10);
    assertThat(outboxed(order, "inventory.released.v1")).isOne();
  }

  @Test
  void aReleaseBeforeTheReserveMakesTheLateReserveFail() {
    stock.setLevel("SKU-006", 10);
    String order = newOrderId();

    gateway.send(new ReleaseInventory(order, "timed out"));
    awaitEvent(order, "inventory.released.v1");
    gateway.send(new ReserveInventory(order, List.of(new Line("SKU-006", 2))));

    assertThat(reason(awaitEvent(order, "inventory.rejected.v1"))).isEqualTo("order cancelled");
    assertThat(stockOf("SKU-006")).isEqualTo(10);
    assertThat(outboxed(order, "inventory.reserved.v1")).isZero();
  }

  @Test
  void concurrentReservationsNeverOversell() {
    stock.setLevel("SKU-007", 5);
    List<String> orders = IntStream.range(0, 20).mapToObj(i -> newOrderId()).toList();

    orders.forEach(
        order -> gateway.send(new ReserveInventory(order, List.of(new Line("SKU-007", 1)))));

    Set<String> ours = Set.copyOf(orders);
    List<ConsumerRecord<String, byte[]>> outcomes =
        KafkaTopics.awaitRecords(EVENTS, r -> ours.contains(r.key()), orders.size(), WAIT);
    Map<String, Long> byType =
        outcomes.stream()
            .collect(
                Collectors.groupingBy(
                    r -> KafkaTopics.header(r, "ce_type"), Collectors.counting()));
    assertThat(byType)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("inventory.reserved.v1", 5L, "inventory.rejected.v1", 15L));
    assertThat(stockOf("SKU-007")).isZero();
    assertThat(
            jdbc.sql("select sum(quantity) from reservation_line where sku = 'SKU-007'")
                .query(Integer.class)
                .single())
        .isEqualTo(5);
  }

  @Test
  void publishesEveryProductsStateAtStartKeyedBySku() {
    ConsumerRecord<String, byte[]> cups =
        KafkaTopics.awaitRecord(PRODUCTS, r -> "SKU-001".equals(r.key()), WAIT);
    assertThat(KafkaTopics.header(cups, "ce_type")).isEqualTo("inventory.product-state.v1");
    ProductState state = JSON.readValue(cups.value(), ProductState.class);
    assertThat(state.sku()).isEqualTo("SKU-001");
    assertThat(state.name()).isEqualTo("Espresso cup set");
    assertThat(state.unitPrice()).isEqualByComparingTo("24.90");
    assertThat(state.currency()).isEqualTo("EUR");
    assertThat(state.weightKg()).isEqualByComparingTo("0.8");
    for (int i = 1; i <= 8; i++) {
      String sku = "SKU-00" + i;
      KafkaTopics.awaitRecord(PRODUCTS, r -> sku.equals(r.key()), WAIT);
    }
  }

  @Test
  void publishesTheProductsStateWithEveryChangeOfItsStock() {
    stock.setLevel("SKU-006", 61);
    awaitState("SKU-006", 61);

    String order = newOrderId();
    gateway.send(new ReserveInventory(order, List.of(new Line("SKU-006", 3))));
    awaitEvent(order, "inventory.reserved.v1");
    awaitState("SKU-006", 58);
    // written in the reservation's own transaction, beside its answer
    assertThat(outboxedState("SKU-006", 58)).isOne();

    gateway.send(new ReleaseInventory(order, "payment declined"));
    awaitEvent(order, "inventory.released.v1");
    awaitState("SKU-006", 61);
  }

  private static void awaitState(String sku, int available) {
    KafkaTopics.awaitRecord(
        PRODUCTS,
        r ->
            sku.equals(r.key())
                && JSON.readValue(r.value(), ProductState.class).available() == available,
        WAIT);
  }

  private int outboxedState(String sku, int available) {
    return jdbc.sql(
            "select count(*) from outbox where message_type = 'inventory.product-state.v1'"
                + " and payload::jsonb ->> 'sku' = :sku"
                + " and (payload::jsonb ->> 'available')::int = :available")
        .param("sku", sku)
        .param("available", available)
        .query(Integer.class)
        .single();
  }

  @Test
  void servesTheCatalogueOverHttp() {
    http.get()
        .uri("/products")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.length()")
        .isEqualTo(8)
        .jsonPath("$[0].sku")
        .isEqualTo("SKU-001")
        .jsonPath("$[0].unitPrice")
        .isEqualTo(24.90)
        .jsonPath("$[0].currency")
        .isEqualTo("EUR");
    http.get()
        .uri("/products/SKU-002")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("Pour-over kettle")
        .jsonPath("$.stock")
        .isNumber();
    http.get()
        .uri("/products/SKU-404")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404)
        .jsonPath("$.title")
        .isEqualTo("Unknown product")
        .jsonPath("$.sku")
        .isEqualTo("SKU-404");
  }

  @Test
  void setsTheStockLevelOverHttp() {
    for (int attempt = 0; attempt < 2; attempt++) {
      http.put()
          .uri("/products/SKU-008/stock")
          .contentType(MediaType.APPLICATION_JSON)
          .body("{\"quantity\": 50}")
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.stock")
          .isEqualTo(50);
    }
    assertThat(stockOf("SKU-008")).isEqualTo(50);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(stockListener.heard).contains(new StockChanged("SKU-008", 50)));
    // Who changed the stock travels with the broadcast and is in the audit record of sending it.
    assertThat(stockListener.envelopes.get(new StockChanged("SKU-008", 50)))
        .allSatisfy(
            envelope ->
                assertThat(envelope.extension(CloudEventAttributes.PRINCIPAL))
                    .isEqualTo("it-operator"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(audited)
                    .anySatisfy(
                        record -> {
                          assertThat(record.type()).isEqualTo("stock.changed.v1");
                          assertThat(record.outcome()).isEqualTo(AuditOutcome.PUBLISHED);
                          assertThat(record.principal()).isEqualTo("it-operator");
                        }));

    http.put()
        .uri("/products/SKU-008/stock")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"quantity\": -1}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(400)
        .jsonPath("$.errors[0].field")
        .isEqualTo("quantity");
    http.put()
        .uri("/products/SKU-008/stock")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"quantity\": ")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    http.put()
        .uri("/products/SKU-404/stock")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"quantity\": 5}")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(stockOf("SKU-008")).isEqualTo(50);
  }

  /** An inventory.reserve.v1 whose lines are not a list, as a faulty sender might write it. */
  @MessageType("inventory.reserve.v1")
  record MalformedReserve(String orderId, String lines) {}

  @Test
  void aPoisonCommandIsFixedAndReplayedFromTheParkingLot() {
    stock.setLevel("SKU-002", 10);
    String order = newOrderId();
    gateway.send(
        new MalformedReserve(order, "two of SKU-002"),
        MessageOptions.about(order).correlatedWith(order));

    String id =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    http.get()
                        .uri("/ops/dead-letters?type=inventory.reserve.v1&correlationId={o}", order)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(JsonNode.class)
                        .returnResult()
                        .getResponseBody()
                        .get("items"),
                items -> items.size() == 1)
            .get(0)
            .get("id")
            .asString();
    http.get()
        .uri("/ops/dead-letters/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.summary.reason")
        .isEqualTo("POISON")
        .jsonPath("$.summary.destination")
        .isEqualTo(PREFIX + "inventory.reserve")
        .jsonPath("$.payload")
        .value(payload -> assertThat(payload.toString()).contains("two of SKU-002"))
        .jsonPath("$.headers['dead-letter-reason']")
        .isEqualTo("POISON");
    // Only operators may see or touch it.
    http.mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, TOKENS.bearer("shopper", "CUSTOMER"))
        .build()
        .post()
        .uri("/ops/dead-letters/{id}/replay", id)
        .exchange()
        .expectStatus()
        .isForbidden();
    http.put()
        .uri("/ops/dead-letters/{id}/payload", id)
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"orderId\": \"" + order + "\", \"lines\": \"still wrong\"}")
        .exchange()
        .expectStatus()
        .isEqualTo(422)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("urn:asyncshop:problem:dead-letters:invalid_edit");
    http.put()
        .uri("/ops/dead-letters/{id}/payload", id)
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            "{\"orderId\": \""
                + order
                + "\", \"lines\": [{\"sku\": \"SKU-002\", \"quantity\": 2}]}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.summary.lineage.editedBy")
        .isEqualTo("it-operator");

    http.post()
        .uri("/ops/dead-letters/{id}/replay", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.outcome")
        .isEqualTo("HANDLED");

    ConsumerRecord<String, byte[]> reserved = awaitEvent(order, "inventory.reserved.v1");
    assertThat(KafkaTopics.header(reserved, "ce_correlationid")).isEqualTo(order);
    assertThat(stockOf("SKU-002")).isEqualTo(8);
    assertThat(audited)
        .anySatisfy(
            record -> {
              assertThat(record.outcome()).isEqualTo(AuditOutcome.REPLAYED);
              assertThat(record.principal()).isEqualTo("it-operator");
              assertThat(record.replayOf()).isEqualTo(id);
            })
        .anySatisfy(
            record -> {
              assertThat(record.outcome()).isEqualTo(AuditOutcome.HANDLED);
              assertThat(record.replayOf()).isEqualTo(id);
            });
    http.post()
        .uri("/ops/dead-letters/{id}/replay", id)
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(detail -> assertThat(detail.toString()).contains("replayed by it-operator"));
  }

  @Test
  void isReadyDocumentedAndScraped() {
    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.db.status")
        .isEqualTo("UP")
        .jsonPath("$.components.rabbit.status")
        .isEqualTo("UP")
        .jsonPath("$.components.redis.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP");
    http.get()
        .uri("/actuator/health/liveness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    http.get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/products/{sku}/stock'].put")
        .exists();
    http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("messaging_outbox_backlog"));
  }

  private static String newOrderId() {
    return UUID.randomUUID().toString();
  }

  private static ConsumerRecord<String, byte[]> awaitEvent(String orderId, String type) {
    return KafkaTopics.awaitRecord(
        EVENTS,
        r -> orderId.equals(r.key()) && type.equals(KafkaTopics.header(r, "ce_type")),
        WAIT);
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    return JSON.readTree(record.value()).get("reason").asString();
  }

  private int stockOf(String sku) {
    return catalogue.find(sku).orElseThrow().stock();
  }

  /**
   * Events written for an order: every event leaves through the outbox, so this counts them all.
   */
  private int outboxed(String orderId, String type) {
    return jdbc.sql(
            "select count(*) from outbox where message_type = :type"
                + " and payload::jsonb ->> 'orderId' = :orderId")
        .param("type", type)
        .param("orderId", orderId)
        .query(Integer.class)
        .single();
  }

  private double handled(String queue, String type) {
    return consumed(queue, type, "handled");
  }

  private double consumed(String queue, String type, String outcome) {
    Counter counter =
        meters
            .find("messaging.consumed")
            .tags("destination", PREFIX + queue, "type", type, "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
