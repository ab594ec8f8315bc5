package dev.asyncshop.order;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.testkit.BrokerRedelivery;
import dev.asyncshop.order.catalogue.LocalCatalogue;
import dev.asyncshop.order.catalogue.LocalTariff;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestNames;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * order-service as it runs, against RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and the shared
 * embedded Kafka, with the other services played by {@link StandIns}. Each test class gets a
 * database and destinations of its own.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
@Import({StandIns.class, BrokerSwitch.class, TestTokensConfiguration.class, BrokerRedelivery.class})
abstract class OrderServiceIntegrationSupport {

  /** Short enough for a timeout test, long enough for a busy machine to answer every step. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(3);

  static final Duration WAIT = Duration.ofSeconds(15);

  /** Saga time runs again this long after the brokers are back. */
  static final Duration RECOVERY_GRACE = Duration.ofSeconds(1);

  @DynamicPropertySource
  static void isolated(DynamicPropertyRegistry registry) {
    // Made per context: every queue, topic and channel, and the database, are this class's own.
    ServiceTestProperties.register(registry, "orders", TestNames.unique("it") + ".");
    registry.add("order.saga.step-timeout", STEP_TIMEOUT::toString);
    registry.add("order.saga.sweep-interval", () -> "200ms");
    registry.add("order.saga.recovery-grace", RECOVERY_GRACE::toString);
    registry.add("order.events.catch-up-interval", () -> "2s");
  }

  /** Signed in as staff, who read every order; orders are placed as their customer. */
  RestTestClient http;

  @Autowired MessageGateway gateway;
  @Autowired StandIns.Recorder recorder;
  @Autowired StandIns.Queries queries;
  @Autowired JdbcClient jdbc;
  @Autowired LocalCatalogue catalogue;
  @Autowired LocalTariff tariff;
  @Autowired BrokerSwitch.Connectivity brokers;
  @Autowired BrokerSwitch.Backlog backlog;

  @Autowired Orders orders;
  @Autowired PlatformTransactionManager transactionManager;

  @Value("${messaging.destination-prefix}")
  String prefix;

  @LocalServerPort int port;

  /** No token at all. */
  RestTestClient anonymous;

  @BeforeEach
  void signedInAsStaff(@Autowired RestTestClient client) {
    anonymous = client;
    http =
        client
            .mutate()
            .defaultHeader(HttpHeaders.AUTHORIZATION, TOKENS.bearer("it-staff", "STAFF"))
            .build();
  }

  /** The Authorization header of a customer. */
  static String asCustomer(String customerId) {
    return TOKENS.bearer(customerId, "CUSTOMER");
  }

  /**
   * After every test, whatever saga path it took: every order of this class's database, rebuilt
   * from its events alone, is exactly what its row and timeline store. Read in one snapshot of the
   * database, so an order still moving is seen whole.
   */
  @AfterEach
  void everyOrderRebuiltFromItsEventsIsTheStoredOrder() {
    TransactionTemplate snapshot = new TransactionTemplate(transactionManager);
    snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    snapshot.setReadOnly(true);
    snapshot.executeWithoutResult(
        status -> {
          for (UUID id : jdbc.sql("select id from orders").query(UUID.class).list()) {
            Order rebuilt = orders.replay(id).orElseThrow();
            assertThat(rebuilt.snapshot())
                .as("order %s rebuilt from its events", id)
                .usingRecursiveComparison()
                .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                .isEqualTo(orders.stored(id).orElseThrow());
            // An order carried over from its row keeps the timeline its row's version wrote.
            if (orders.stream(id).stream()
                .noneMatch(OrderEvent.OrderCarriedOver.class::isInstance)) {
              assertThat(rebuilt.timeline())
                  .as("timeline of order %s rebuilt from its events", id)
                  .isEqualTo(storedTimeline(id));
            }
          }
        });
  }

  List<TimelineEntry> storedTimeline(UUID id) {
    return jdbc.sql("select status, at, detail from order_timeline where order_id = ? order by seq")
        .param(id)
        .query(
            (rs, n) ->
                new TimelineEntry(
                    OrderStatus.valueOf(rs.getString("status")),
                    rs.getTimestamp("at").toInstant(),
                    rs.getString("detail")))
        .list();
  }

  private static volatile String consumersReadyFor = "";

  /**
   * Waits once per context until the saga's and the order-event reader's Kafka consumers own their
   * partitions: the first group join takes seconds, and a test must not spend them out of its
   * saga's step timeout.
   */
  @BeforeEach
  void kafkaConsumersAssigned() {
    if (consumersReadyFor.equals(prefix)) {
      return;
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  assignedTopics(admin, "order-service")
                          .containsAll(
                              List.of(
                                  prefix + "inventory.events",
                                  prefix + "payments.events",
                                  prefix + "shipping.events"))
                      && assignedTopics(admin, StandIns.OrderEvents.GROUP)
                          .contains(prefix + "orders.events"));
    }
    // What inventory and shipping would have published: the local tables read it as it comes.
    StandIns.PRODUCTS.forEach(
        product -> gateway.publish(product, MessageOptions.about(product.sku())));
    gateway.publish(StandIns.TARIFF, MessageOptions.about("tariff"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                catalogue.caughtUp()
                    && catalogue.find(List.of("MUG", "TEE")).size() == 2
                    && tariff.rateFor("DE", BigDecimal.ONE).isPresent());
    consumersReadyFor = prefix;
  }

  private static Set<String> assignedTopics(Admin admin, String group) throws Exception {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    if (description.groupState() != GroupState.STABLE) {
      return Set.of();
    }
    return description.members().stream()
        .flatMap(member -> member.assignment().topicPartitions().stream())
        .map(TopicPartition::topic)
        .collect(Collectors.toSet());
  }

  // The API's JSON, as a client reads it.

  record Step(String status, Instant at, String detail) {}

  record Line(
      String sku,
      String name,
      int quantity,
      BigDecimal unitPrice,
      BigDecimal total,
      BigDecimal weightKg) {}

  record Totals(BigDecimal items, BigDecimal shipping, BigDecimal total, String currency) {}

  record Address(String name, String street, String city, String postalCode, String country) {}

  record OrderJson(
      UUID id,
      String customerId,
      String status,
      List<Line> lines,
      Totals totals,
      Address shippingAddress,
      BigDecimal weightKg,
      String trackingNumber,
      Instant placedAt,
      Instant updatedAt,
      List<Step> timeline) {

    List<String> statuses() {
      return timeline.stream().map(Step::status).toList();
    }
  }

  static String customer() {
    return TestNames.unique("customer");
  }

  /** A valid order body: two mugs and a T-shirt to Berlin. */
  /** An order of two mugs and a T-shirt; whose it is, the token says. */
  static String orderBody() {
    return orderBody("MUG", 2, "TEE", 1);
  }

  static String orderBody(String sku1, int qty1, String sku2, int qty2) {
    return orderBody(sku1, qty1, sku2, qty2, "DE");
  }

  static String orderBody(String sku1, int qty1, String sku2, int qty2, String country) {
    return """
        {"items": [{"sku": "%s", "quantity": %d}, {"sku": "%s", "quantity": %d}],
         "shippingAddress": {"name": "Ada Lovelace", "street": "Main St 1", "city": "Berlin",
                             "postalCode": "10115", "country": "%s"},
         "payment": {"cardToken": "tok_visa"}}
        """
        .formatted(sku1, qty1, sku2, qty2, country);
  }

  /** Places an order and returns its id, checking the 202 answer on the way. */
  UUID place(String customerId) {
    URI location =
        http.post()
            .uri("/orders")
            .header(HttpHeaders.AUTHORIZATION, asCustomer(customerId))
            .contentType(MediaType.APPLICATION_JSON)
            .body(orderBody())
            .exchange()
            .expectStatus()
            .isEqualTo(HttpStatus.ACCEPTED)
            .returnResult(OrderJson.class)
            .getResponseHeaders()
            .getLocation();
    assertThat(location).isNotNull();
    return UUID.fromString(location.getPath().substring("/orders/".length()));
  }

  OrderJson order(UUID id) {
    return http.get()
        .uri("/orders/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(OrderJson.class)
        .returnResult()
        .getResponseBody();
  }

  OrderJson awaitStatus(UUID id, String status) {
    return await().atMost(WAIT).until(() -> order(id), order -> order.status().equals(status));
  }

  /** Publishes an event as the service that owns it would: keyed by the order. */
  void publish(UUID orderId, Object event) {
    gateway.publish(event, MessageOptions.about(orderId.toString()));
  }

  StandIns.Received awaitReceived(UUID orderId, String type) {
    return await()
        .atMost(WAIT)
        .until(() -> recorder.of(orderId, type), received -> !received.isEmpty())
        .get(0);
  }

  long ordersOf(String customerId) {
    return jdbc.sql("select count(*) from orders where customer_id = ?")
        .param(customerId)
        .query(Long.class)
        .single();
  }

  long allOrders() {
    return jdbc.sql("select count(*) from orders").query(Long.class).single();
  }
}
