package dev.asyncshop.systemtests;

import static dev.asyncshop.systemtests.Shop.orderRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The order saga across the four services, as a client drives it: HTTP in, HTTP out. The services
 * run as their own processes, started as their image starts them, against the tests' brokers
 * (containers, or RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and an embedded Kafka broker).
 */
class OrderSagaSystemTests {

  static final Duration END_STATE = Duration.ofSeconds(60);

  static Suite suite;
  static Shop shop;

  /** The suite runs on for the next classes; it stops when the test run ends. */
  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
  }

  @Test
  void happyPathReachesShipped() {
    int stockBefore = shop.stock("SKU-001");
    double rejectedBefore = securityRejectedAnywhere();

    String id = shop.accepted(orderRequest("SKU-001", 2, "tok_visa"));
    JsonNode order = shop.awaitEnd(id, END_STATE);

    assertThat(order.get("status").asString()).isEqualTo("SHIPPED");
    assertThat(statuses(order))
        .containsSubsequence(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");
    for (JsonNode step : order.get("timeline")) {
      assertThat(step.get("at").asString()).isNotBlank();
    }
    assertThat(shop.stock("SKU-001")).isEqualTo(stockBefore - 2);
    Shop.Response payment = shop.payment(id);
    assertThat(payment.status()).isEqualTo(200);
    assertThat(payment.body().get("status").asString()).isEqualTo("AUTHORIZED");
    Shop.Response shipment = shop.shipment(id);
    assertThat(shipment.status()).isEqualTo(200);
    assertThat(shipment.body().get("trackingNumber").asString())
        .isEqualTo(order.get("trackingNumber").asString());
    // Every message of the saga was signed by its sender and held its check at its receiver.
    assertThat(securityRejectedAnywhere()).isEqualTo(rejectedBefore);
    // Each service's audit trail names the customer who placed the order, for every message of it.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              List<JsonNode> audited = AuditTopic.recordsOf(id);
              assertThat(audited)
                  .extracting(record -> record.get("service").asString())
                  .contains(
                      "order-service", "inventory-service", "payment-service", "shipping-service");
              assertThat(audited)
                  .allSatisfy(
                      record ->
                          assertThat(record.path("principal").asString())
                              .as("principal in %s", record)
                              .isEqualTo(shop.customerName()));
            });
  }

  @Test
  void aForgedPaymentCommandIsNeverObeyed() {
    String orderId = UUID.randomUUID().toString();
    double rejectedBefore = securityRejected(suite.payment, "unsigned");

    BrokerFaults.forgeAuthorize(suite, orderId, new BigDecimal("99.00"));

    await()
        .atMost(END_STATE)
        .until(() -> securityRejected(suite.payment, "unsigned") > rejectedBefore);
    assertThat(shop.payment(orderId).status()).isEqualTo(404);
    await()
        .atMost(END_STATE)
        .untilAsserted(
            () ->
                assertThat(
                        shop.parked(
                            suite.payment,
                            "security=true&destination=" + suite.prefix + "payment.authorize"))
                    .anySatisfy(
                        deadLetter -> {
                          assertThat(deadLetter.get("payload").asString()).contains(orderId);
                          assertThat(deadLetter.at("/summary/reason").asString())
                              .isEqualTo("SIGNATURE_INVALID");
                        }));
  }

  @Test
  void outOfStockIsRejectedWithoutPayment() {
    shop.setStock("SKU-002", 1);

    String id = shop.accepted(orderRequest("SKU-002", 3, "tok_visa"));
    JsonNode order = shop.awaitEnd(id, END_STATE);

    assertThat(order.get("status").asString()).isEqualTo("REJECTED");
    assertThat(shop.payment(id).status()).isEqualTo(404);
    assertThat(shop.shipment(id).status()).isEqualTo(404);
    assertThat(shop.stock("SKU-002")).isEqualTo(1);
  }

  @Test
  void declinedPaymentCancelsAndPutsTheStockBack() {
    int stockBefore = shop.stock("SKU-003");

    String id = shop.accepted(orderRequest("SKU-003", 2, "tok_declined"));
    JsonNode order = shop.awaitEnd(id, END_STATE);

    assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(shop.payment(id).body().get("status").asString()).isEqualTo("DECLINED");
    await().atMost(END_STATE).until(() -> shop.stock("SKU-003") == stockBefore);
    assertThat(shop.shipment(id).status()).isEqualTo(404);
  }

  @Test
  void paymentServiceDownCancelsAtTheTimeoutAndRefundsTheLateCharge() {
    int stockBefore = shop.stock("SKU-004");
    suite.payment.stop();
    String id;
    try {
      id = shop.accepted(orderRequest("SKU-004", 1, "tok_visa"));
      JsonNode order = shop.awaitEnd(id, Suite.STEP_TIMEOUT.multipliedBy(4));
      assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
      await().atMost(END_STATE).until(() -> shop.stock("SKU-004") == stockBefore);
    } finally {
      suite.payment.start();
      suite.payment.awaitReady(Duration.ofSeconds(120));
    }

    // The restarted payment-service handles the old command and charges; order-service refunds.
    await()
        .atMost(END_STATE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Shop.Response payment = shop.payment(id);
              return payment.status() == 200
                  && "REFUNDED".equals(payment.body().get("status").asString());
            });
    assertThat(shop.status(id)).isEqualTo("CANCELLED");
    assertThat(shop.shipment(id).status()).isEqualTo(404);
  }

  /**
   * Placement prices from order-service's own catalogue, so it needs no inventory-service. The
   * reservations' deadline ({@link Suite#STEP_TIMEOUT}) runs on while only inventory-service is
   * gone, so it must be back, and through its backlog of reserve commands, well before then.
   */
  @Test
  void inventoryServiceDownStillTakesOrdersThatShipOnceItIsBack() {
    int stockBefore = shop.stock("SKU-007");
    suite.inventory.stop();
    Instant firstPlaced = Instant.now();
    List<String> ids = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        ids.add(shop.accepted(orderRequest("SKU-007", 1, "tok_visa")));
      }
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(ids).extracting(shop::status).containsOnly("PENDING"));
    } finally {
      suite.inventory.start();
      suite.inventory.awaitReady(Duration.ofSeconds(120));
    }

    Duration waited = Duration.between(firstPlaced, Instant.now());
    for (String id : ids) {
      assertThat(shop.awaitEnd(id, END_STATE).get("status").asString())
          .as(
              "order %s, placed %d s before inventory-service was ready again (step timeout %d s)",
              id, waited.toSeconds(), Suite.STEP_TIMEOUT.toSeconds())
          .isEqualTo("SHIPPED");
    }
    assertThat(shop.stock("SKU-007")).isEqualTo(stockBefore - ids.size());
  }

  @Test
  void aHundredConcurrentOrdersSellExactlyTheTwentyFiveUnitsThereAre() throws Exception {
    shop.setStock("SKU-005", 25);
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<CompletableFuture<String>> placing = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        placing.add(
            CompletableFuture.supplyAsync(
                () -> shop.accepted(orderRequest("SKU-005", 1, "tok_visa")), clients));
      }
      List<String> ids = placing.stream().map(CompletableFuture::join).toList();

      Map<String, String> endStates = new HashMap<>();
      for (String id : ids) {
        endStates.put(id, shop.awaitEnd(id, Duration.ofMinutes(3)).get("status").asString());
      }
      Map<String, Long> byStatus =
          endStates.values().stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
      assertThat(byStatus.getOrDefault("SHIPPED", 0L)).isEqualTo(25);
      assertThat(byStatus.getOrDefault("REJECTED", 0L)).isEqualTo(75);
      assertThat(shop.stock("SKU-005")).isZero();

      long authorized = 0;
      long shipments = 0;
      for (Map.Entry<String, String> order : endStates.entrySet()) {
        Shop.Response payment = shop.payment(order.getKey());
        Shop.Response shipment = shop.shipment(order.getKey());
        if (order.getValue().equals("SHIPPED")) {
          assertThat(payment.body().get("status").asString()).isEqualTo("AUTHORIZED");
          authorized++;
          assertThat(shipment.status()).isEqualTo(200);
          shipments++;
        } else {
          assertThat(payment.status()).isEqualTo(404);
          assertThat(shipment.status()).isEqualTo(404);
        }
      }
      assertThat(authorized).isEqualTo(25);
      assertThat(shipments).isEqualTo(25);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void theSameIdempotencyKeyTwiceGivesOneOrder() {
    String key = UUID.randomUUID().toString();
    Map<String, Object> request = orderRequest("SKU-006", 1, "tok_visa");
    String body = Shop.JSON.writeValueAsString(request);

    Shop.Customer customer = shop.newCustomer();
    Shop.Response first = shop.placeOrder(customer, body, key);
    Shop.Response second = shop.placeOrder(customer, body, key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.header("Location")).isEqualTo(first.header("Location"));
    assertThat(ordersIn(shop.ordersOf(customer))).hasSize(1);

    Map<String, Object> other = new HashMap<>(request);
    other.put("items", List.of(Map.of("sku", "SKU-006", "quantity", 2)));
    Shop.Response conflicting = shop.placeOrder(customer, Shop.JSON.writeValueAsString(other), key);
    assertThat(conflicting.status()).isEqualTo(422);
    assertThat(conflicting.header("Content-Type")).contains("application/problem+json");

    String id = Shop.idOf(first);
    assertThat(shop.awaitEnd(id, END_STATE).get("status").asString()).isEqualTo("SHIPPED");
    JsonNode payment = shop.payment(id).body();
    assertThat(payment.get("status").asString()).isEqualTo("AUTHORIZED");

    // The broker delivers payment.authorize for this order again, as after a consumer crash
    // between handling and acknowledging. It must not charge a second time.
    double consumedBefore = consumed(suite.payment, "payment.authorize.v1");
    BrokerFaults.redeliverAuthorize(suite, id, payment.get("amount").decimalValue());
    await()
        .atMost(END_STATE)
        .until(() -> consumed(suite.payment, "payment.authorize.v1") > consumedBefore);
    String topic = suite.prefix + "payments.events";
    assertThat(BrokerFaults.eventsFor(topic, id, "payment.authorized.v1")).isEqualTo(1);
    assertThat(shop.payment(id).body().get("paymentId").asString())
        .isEqualTo(payment.get("paymentId").asString());
  }

  @Test
  void tokensFromTheAuthorizationServerDecideWhoSeesWhat() {
    Shop.Customer alice = shop.newCustomer();
    Shop.Customer bob = shop.newCustomer();
    String id =
        Shop.idOf(
            shop.placeOrder(
                alice, Shop.JSON.writeValueAsString(orderRequest("SKU-001", 1, "tok_visa")), null));

    Shop.Response asBob =
        shop.send(
            HttpRequest.newBuilder(suite.order.uri("/orders/" + id))
                .header("Authorization", bob.authorization())
                .build());
    Shop.Response anonymous =
        shop.send(HttpRequest.newBuilder(suite.order.uri("/orders/" + id)).build());
    Shop.Response customerRestocks =
        shop.send(
            HttpRequest.newBuilder(suite.inventory.uri("/products/SKU-001/stock"))
                .header("Authorization", alice.authorization())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"quantity\": 1000}"))
                .build());

    assertThat(asBob.status()).isEqualTo(404);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(customerRestocks.status()).isEqualTo(403);
    assertThat(customerRestocks.header("Content-Type")).contains("application/problem+json");
    assertThat(ordersIn(shop.ordersOf(alice))).hasSize(1);
    assertThat(shop.get(suite.order.uri("/orders/" + id)).body().get("customerId").asString())
        .isEqualTo(alice.name());
  }

  @Test
  void badInputIsAProblemDetailAndCreatesNothing() {
    Shop.Customer customer = shop.newCustomer();
    Map<String, Object> valid = new HashMap<>(orderRequest("SKU-001", 1, "tok_visa"));

    List<String> bodies = new ArrayList<>();
    Map<String, Object> missingAddress = new HashMap<>(valid);
    missingAddress.remove("shippingAddress");
    bodies.add(Shop.JSON.writeValueAsString(missingAddress));
    bodies.add("{}");
    for (int quantity : new int[] {0, -3}) {
      Map<String, Object> badQuantity = new HashMap<>(valid);
      badQuantity.put("items", List.of(Map.of("sku", "SKU-001", "quantity", quantity)));
      bodies.add(Shop.JSON.writeValueAsString(badQuantity));
    }
    Map<String, Object> unknownSku = new HashMap<>(valid);
    unknownSku.put("items", List.of(Map.of("sku", "SKU-404", "quantity", 1)));
    bodies.add(Shop.JSON.writeValueAsString(unknownSku));
    bodies.add("{this is not json");
    Map<String, Object> huge = new HashMap<>(valid);
    huge.put("note", "x".repeat(64 * 1024));
    bodies.add(Shop.JSON.writeValueAsString(huge));

    for (String body : bodies) {
      Shop.Response response = shop.placeOrder(customer, body, null);
      assertThat(response.status())
          .as("status for %s", body.length() > 200 ? body.substring(0, 200) + "..." : body)
          .isBetween(400, 499);
      assertThat(response.header("Content-Type")).contains("application/problem+json");
      assertThat(response.body().get("status").asInt()).isEqualTo(response.status());
    }
    assertThat(ordersIn(shop.ordersOf(customer))).isEmpty();
  }

  @Test
  void serverSentEventsShowTheStatesInOrder() throws Exception {
    String id = shop.accepted(orderRequest("SKU-007", 1, "tok_visa"));

    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> stream =
        client.send(
            HttpRequest.newBuilder(suite.order.uri("/orders/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", shop.customer())
                .timeout(END_STATE)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (var lines =
        new java.io.BufferedReader(new java.io.InputStreamReader(stream.body())).lines()) {
      lines
          .filter(line -> line.startsWith("data:"))
          .map(line -> Shop.JSON.readTree(line.substring(5)).get("status").asString())
          .takeWhile(
              status -> {
                seen.add(status);
                return !Shop.END_STATES.contains(status);
              })
          .forEach(status -> {});
    }
    assertThat(seen.stream().distinct().toList())
        .containsExactly(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");
  }

  /**
   * Both read models are rebuilt from orders.events while a customer keeps placing orders: once
   * switched over, they count every order of that customer once, and every unit of the product only
   * that customer buys.
   */
  @Test
  void rebuildingTheReadModelsWhileOrdersArePlacedLosesAndDoublesNothing() throws Exception {
    Shop.Customer customer = shop.newCustomer();
    Instant from = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
    Instant to = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
    int[] espressoBefore = espressoSales(from, to);
    String body = Shop.JSON.writeValueAsString(orderRequest("SKU-008", 1, "tok_visa"));
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 5; i++) {
      ids.add(Shop.idOf(shop.placeOrder(customer, body, null)));
    }
    Map<String, Integer> generations = new HashMap<>();
    for (String projection : List.of("product-sales", "customer-orders")) {
      generations.put(projection, activeGeneration(projection));
    }
    CompletableFuture<Void> meanwhile =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 10; i++) {
                Shop.Response placed = shop.placeOrder(customer, body, null);
                assertThat(placed.status()).isEqualTo(202);
                ids.add(Shop.idOf(placed));
              }
            });
    for (String projection : generations.keySet()) {
      Shop.Response asked =
          shop.post(suite.order.uri("/ops/projections/" + projection + "/rebuild"), null);
      assertThat(asked.status()).as(asked.raw().body()).isEqualTo(202);
    }
    meanwhile.get();
    await()
        .atMost(END_STATE)
        .until(
            () ->
                generations.entrySet().stream()
                    .allMatch(g -> activeGeneration(g.getKey()) > g.getValue()));
    int shipped = 0;
    for (String id : ids) {
      if (shop.awaitEnd(id, END_STATE).get("status").asString().equals("SHIPPED")) {
        shipped++;
      }
    }
    int expectedShipped = shipped;

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode history =
                  shop.send(
                          HttpRequest.newBuilder(
                                  suite.order.uri("/reports/customers/" + customer.name()))
                              .header("Authorization", customer.authorization())
                              .GET()
                              .build())
                      .body();
              assertThat(history.get("orders").asInt()).isEqualTo(15);
              assertThat(history.get("shipped").asInt()).isEqualTo(expectedShipped);
              int[] espresso = espressoSales(from, to);
              assertThat(espresso[0] - espressoBefore[0]).isEqualTo(15);
              assertThat(espresso[1] - espressoBefore[1]).isEqualTo(expectedShipped);
            });
  }

  /** Units of SKU-008 ordered and shipped in the orders placed in {@code [from, to)}. */
  private static int[] espressoSales(Instant from, Instant to) {
    Shop.Response sales =
        shop.get(suite.order.uri("/reports/sales?sku=SKU-008&from=" + from + "&to=" + to));
    assertThat(sales.status()).as(sales.raw().body()).isEqualTo(200);
    int ordered = 0;
    int shipped = 0;
    for (JsonNode hour : sales.body()) {
      ordered += hour.get("unitsOrdered").asInt();
      shipped += hour.get("unitsShipped").asInt();
    }
    return new int[] {ordered, shipped};
  }

  private static int activeGeneration(String projection) {
    for (JsonNode generation :
        shop.get(suite.order.uri("/ops/projections/" + projection)).body().get("generations")) {
      if (generation.get("state").asString().equals("ACTIVE")) {
        return generation.get("number").asInt();
      }
    }
    return 0;
  }

  private static double securityRejectedAnywhere() {
    return suite.all().stream().mapToDouble(service -> securityRejected(service, "")).sum();
  }

  /** {@code messaging.security.rejected} of a service, for one reason, or all if blank. */
  private static double securityRejected(ServiceProcess service, String reason) {
    String metrics = shop.get(service.uri("/actuator/prometheus")).raw().body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("messaging_security_rejected_total{"))
        .filter(line -> reason.isEmpty() || line.contains("reason=\"" + reason + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static double consumed(ServiceProcess service, String type) {
    String metrics = shop.get(service.uri("/actuator/prometheus")).raw().body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("messaging_consumed_total{"))
        .filter(line -> line.contains("type=\"" + type + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> statuses(JsonNode order) {
    return StreamSupport.stream(order.get("timeline").spliterator(), false)
        .map(step -> step.get("status").asString())
        .toList();
  }

  private static List<JsonNode> ordersIn(JsonNode page) {
    JsonNode content = page.has("content") ? page.get("content") : page.get("orders");
    return StreamSupport.stream(content.spliterator(), false).toList();
  }
}
