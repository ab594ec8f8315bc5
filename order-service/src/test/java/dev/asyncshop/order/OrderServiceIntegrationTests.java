package dev.asyncshop.order;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.testkit.BrokerRedelivery;
import dev.asyncshop.order.StandInMessages.Authorize;
import dev.asyncshop.order.StandInMessages.Authorized;
import dev.asyncshop.order.StandInMessages.Cancelled;
import dev.asyncshop.order.StandInMessages.Declined;
import dev.asyncshop.order.StandInMessages.Refund;
import dev.asyncshop.order.StandInMessages.Refunded;
import dev.asyncshop.order.StandInMessages.Rejected;
import dev.asyncshop.order.StandInMessages.Release;
import dev.asyncshop.order.StandInMessages.Released;
import dev.asyncshop.order.StandInMessages.Reserved;
import dev.asyncshop.order.StandInMessages.Schedule;
import dev.asyncshop.order.StandInMessages.Scheduled;
import dev.asyncshop.testsupport.KafkaTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * order-service over HTTP and the real brokers, in one application context: placing orders and what
 * the API refuses, idempotency keys, lists, health and docs; then the saga end to end, where
 * order-service's commands arrive at the stand-ins, the tests answer with the other services'
 * events, and orders move, time out and compensate; and the live status stream.
 *
 * <p>One class, so one context starts and stops: the module's tests stay within about a minute on
 * two shared cores.
 */
class OrderServiceIntegrationTests extends OrderServiceIntegrationSupport {

  @Autowired OrderEventCodec eventCodec;
  @Autowired MeterRegistry meters;
  @Autowired TransactionTemplate transactions;
  @Autowired BrokerRedelivery redelivery;

  private ResponseSpec post(String customer, String body) {
    return http.post()
        .uri("/orders")
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
        .contentType(MediaType.APPLICATION_JSON)
        .body(body)
        .exchange();
  }

  private ResponseSpec post(String customer, String body, String idempotencyKey) {
    return http.post()
        .uri("/orders")
        .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
        .contentType(MediaType.APPLICATION_JSON)
        .header("Idempotency-Key", idempotencyKey)
        .body(body)
        .exchange();
  }

  private static void isProblem(ResponseSpec response, HttpStatus status) {
    response
        .expectStatus()
        .isEqualTo(status.value())
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(status.value())
        .jsonPath("$.title")
        .exists();
  }

  @Test
  void placedOrderIsPendingPricedAndStartsItsSaga() {
    String customer = customer();

    OrderJson placed =
        post(customer, orderBody())
            .expectStatus()
            .isAccepted()
            .expectHeader()
            .valueMatches(HttpHeaders.LOCATION, "/orders/[0-9a-f-]{36}")
            .expectBody(OrderJson.class)
            .returnResult()
            .getResponseBody();

    assertThat(placed.status()).isEqualTo("PENDING");
    assertThat(placed.customerId()).isEqualTo(customer);
    assertThat(placed.lines())
        .extracting(Line::sku, Line::quantity, Line::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("MUG", 2, "Mug"),
            org.assertj.core.groups.Tuple.tuple("TEE", 1, "T-shirt"));
    assertThat(placed.totals().items()).isEqualByComparingTo("44.99");
    assertThat(placed.totals().shipping()).isEqualByComparingTo("4.90");
    assertThat(placed.totals().total()).isEqualByComparingTo("49.89");
    assertThat(placed.totals().currency()).isEqualTo("EUR");
    assertThat(placed.weightKg()).isEqualByComparingTo("1.0");
    assertThat(placed.trackingNumber()).isNull();
    assertThat(placed.shippingAddress().country()).isEqualTo("DE");
    assertThat(placed.timeline()).singleElement().extracting(Step::status).isEqualTo("PENDING");

    StandIns.Received reserve = awaitReceived(placed.id(), "inventory.reserve.v1");
    assertThat(((StandInMessages.Reserve) reserve.message()).lines())
        .containsExactly(new StandInMessages.Line("MUG", 2), new StandInMessages.Line("TEE", 1));
    StandIns.Received event = awaitReceived(placed.id(), "order.placed.v1");
    assertThat(((StandInMessages.Placed) event.message()).total()).isEqualByComparingTo("49.89");
    assertThat(event.envelope().partitionKey()).isEqualTo(placed.id().toString());
    assertThat(event.envelope().correlationId())
        .isEqualTo(reserve.envelope().correlationId())
        .isEqualTo(placed.id().toString());
  }

  @Test
  void invalidOrdersAreProblemDetailsAndCreateNothing() {
    String customer = customer();
    String valid = orderBody();
    List<String> invalid =
        List.of(
            "{}",
            orderBody("MUG", 0, "TEE", 1),
            orderBody("MUG", -2, "TEE", 1),
            orderBody("MUG", 1, "MUG", 1),
            valid.replaceFirst("\"items\": \\[.*?\\],", "\"items\": [],"),
            valid.replace("\"DE\"", "\"Germany\""),
            valid.replace("{\"cardToken\": \"tok_visa\"}", "{}"),
            valid.replace("\"city\": \"Berlin\",", ""));

    for (String body : invalid) {
      ResponseSpec response = post(customer, body);
      response
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo(400)
          .jsonPath("$.errors[0].field")
          .exists();
    }
    post(customer, orderBody("MUG", 0, "TEE", 1))
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("items[0].quantity");

    assertThat(ordersOf(customer)).isZero();
  }

  @Test
  void unknownSkusAreNamedAndCreateNothing() {
    String customer = customer();

    ResponseSpec response = post(customer, orderBody("MUG", 1, "NOPE-1", 1));

    isProblem(response, HttpStatus.UNPROCESSABLE_CONTENT);
    response.expectBody().jsonPath("$.unknownSkus[0]").isEqualTo("NOPE-1");
    assertThat(ordersOf(customer)).isZero();
  }

  @Test
  void bodiesThatAreNotJsonOrTooLargeAreRefusedAndCreateNothing() throws Exception {
    long before = allOrders();

    isProblem(post(customer(), "{\"items\": [oops"), HttpStatus.BAD_REQUEST);
    isProblem(post(customer(), "not json at all"), HttpStatus.BAD_REQUEST);
    isProblem(
        http.post()
            .uri("/orders")
            .header(HttpHeaders.AUTHORIZATION, asCustomer(customer()))
            .contentType(MediaType.TEXT_PLAIN)
            .body("customer c wants a mug")
            .exchange(),
        HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    String large = orderBody().replace("Ada Lovelace", "x".repeat(17 * 1024));
    isProblem(post(customer(), large), HttpStatus.CONTENT_TOO_LARGE);

    // Chunked, so no Content-Length gives it away: refused while it is read.
    HttpResponse<String> chunked =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Type", "application/json")
                    .header(HttpHeaders.AUTHORIZATION, asCustomer(customer()))
                    .POST(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(chunked.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    assertThat(allOrders()).isEqualTo(before);
  }

  @Test
  void aQuoteThatDoesNotComeInTimeIsReplacedByThePublishedTariffAndTheTimelineSaysSo() {
    String customer = customer();
    queries.slowAnswer = new CountDownLatch(1);
    OrderJson placed;
    try {
      placed =
          post(customer, orderBody("MUG", 1, "TEE", 1, StandIns.SLOW_COUNTRY))
              .expectStatus()
              .isAccepted()
              .expectBody(OrderJson.class)
              .returnResult()
              .getResponseBody();
    } finally {
      queries.slowAnswer.countDown();
    }
    assertThat(placed).isNotNull();
    // 0.6 kg to the rest of the world: 14.90 + 1.20 per kg, by the tariff shipping published.
    assertThat(placed.totals().shipping()).isEqualByComparingTo("15.62");
    assertThat(placed.totals().items()).isEqualByComparingTo("32.49");
    assertThat(placed.timeline())
        .singleElement()
        .extracting(Step::detail)
        .asString()
        .contains("shipping priced from the published tariff", "no answer in time")
        .doesNotContain("Exception");
    assertThat(ordersOf(customer)).isOne();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(recorder.typesOf(placed.id())).contains("inventory.reserve.v1"));
  }

  @Test
  void repeatedRequestWithTheSameKeyAnswersTheFirstOrder() {
    String customer = customer();
    String key = UUID.randomUUID().toString();

    ResponseSpec first = post(customer, orderBody(), key).expectStatus().isAccepted();
    String location =
        first.returnResult(OrderJson.class).getResponseHeaders().getLocation().toString();
    ResponseSpec again = post(customer, orderBody(), key).expectStatus().isAccepted();
    again.expectHeader().valueEquals(HttpHeaders.LOCATION, location);
    again.expectHeader().valueEquals("Idempotent-Replayed", "true");
    OrderJson repeated = again.expectBody(OrderJson.class).returnResult().getResponseBody();

    assertThat("/orders/" + repeated.id()).isEqualTo(location);
    assertThat(ordersOf(customer)).isOne();

    ResponseSpec different = post(customer, orderBody("MUG", 5, "TEE", 1), key);
    isProblem(different, HttpStatus.UNPROCESSABLE_CONTENT);
    // The problem does not name the first order: the key may be another customer's.
    different.expectBody().jsonPath("$.orderId").doesNotExist();
    assertThat(ordersOf(customer)).isOne();
  }

  @Test
  void concurrentRepeatsWithOneKeyPlaceOneOrder() throws Exception {
    String customer = customer();
    String key = UUID.randomUUID().toString();
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
            .POST(HttpRequest.BodyPublishers.ofString(orderBody()))
            .build();

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    IntStream.range(0, 6)
        .forEach(
            i -> responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())));

    List<String> locations = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> response : responses) {
      HttpResponse<String> answer = response.get();
      assertThat(answer.statusCode()).isEqualTo(202);
      locations.add(answer.headers().firstValue("Location").orElseThrow());
    }
    assertThat(locations).containsOnly(locations.get(0));
    assertThat(ordersOf(customer)).isOne();
  }

  @Test
  void listsArePagedAndFiltered() {
    String customer = customer();
    UUID first = place(customer);
    UUID second = place(customer);
    UUID third = place(customer);
    place(customer());
    publish(second, new Rejected(second, "out of stock: MUG"));
    awaitStatus(second, "REJECTED");

    http.get()
        .uri("/orders?customerId={c}&size=2", customer)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.content.length()")
        .isEqualTo(2)
        .jsonPath("$.content[0].id")
        .isEqualTo(third.toString())
        .jsonPath("$.content[1].id")
        .isEqualTo(second.toString())
        .jsonPath("$.page.number")
        .isEqualTo(0)
        .jsonPath("$.page.size")
        .isEqualTo(2)
        .jsonPath("$.page.totalElements")
        .isEqualTo(3)
        .jsonPath("$.page.totalPages")
        .isEqualTo(2);
    http.get()
        .uri("/orders?customerId={c}&size=2&page=1", customer)
        .exchange()
        .expectBody()
        .jsonPath("$.content.length()")
        .isEqualTo(1)
        .jsonPath("$.content[0].id")
        .isEqualTo(first.toString());
    http.get()
        .uri("/orders?customerId={c}&status=REJECTED", customer)
        .exchange()
        .expectBody()
        .jsonPath("$.page.totalElements")
        .isEqualTo(1)
        .jsonPath("$.content[0].id")
        .isEqualTo(second.toString())
        .jsonPath("$.content[0].status")
        .isEqualTo("REJECTED")
        .jsonPath("$.content[0].total")
        .isEqualTo(49.89);
    http.get()
        .uri("/orders?size=100")
        .exchange()
        .expectBody()
        .jsonPath("$.page.totalElements")
        .value(total -> assertThat(((Number) total).longValue()).isGreaterThanOrEqualTo(4));

    for (String bad : List.of("size=0", "size=101", "page=-1", "status=LOST", "size=many")) {
      isProblem(http.get().uri("/orders?" + bad).exchange(), HttpStatus.BAD_REQUEST);
    }
  }

  @Test
  void unknownOrderIsNotFound() {
    isProblem(http.get().uri("/orders/{id}", UUID.randomUUID()).exchange(), HttpStatus.NOT_FOUND);
    isProblem(
        http.get()
            .uri("/orders/{id}/events", UUID.randomUUID())
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange(),
        HttpStatus.NOT_FOUND);
    isProblem(http.get().uri("/orders/not-a-uuid").exchange(), HttpStatus.BAD_REQUEST);
  }

  @Test
  void probesAndApiDocumentsAreOpenAndEverythingElseOfActuatorNeedsItsRole() {
    for (String group : List.of("", "/liveness", "/readiness")) {
      anonymous
          .get()
          .uri("/actuator/health" + group)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP")
          .jsonPath("$.components")
          .doesNotExist();
    }
    anonymous
        .get()
        .uri("/actuator/health/readiness")
        .header(HttpHeaders.AUTHORIZATION, TOKENS.bearer("olivia", "OPS"))
        .exchange()
        .expectBody()
        .jsonPath("$.components.db.status")
        .isEqualTo("UP")
        .jsonPath("$.components.rabbit.status")
        .isEqualTo("UP")
        .jsonPath("$.components.redis.status")
        .isEqualTo("UP")
        .jsonPath("$.components.kafka.status")
        .isEqualTo("UP")
        .jsonPath("$.components.localTables.status")
        .isEqualTo("UP");

    anonymous.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isForbidden();
    http.get().uri("/actuator").exchange().expectStatus().isForbidden();
    for (String role : List.of("MONITORING", "OPS")) {
      anonymous
          .get()
          .uri("/actuator/prometheus")
          .header(HttpHeaders.AUTHORIZATION, TOKENS.bearer("prometheus", role))
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody(String.class)
          .value(body -> assertThat(body).contains("jvm_memory_used_bytes", "messaging_outbox"));
    }

    anonymous
        .get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/orders'].post")
        .exists()
        .jsonPath("$.paths['/orders/{id}'].get")
        .exists()
        .jsonPath("$.paths['/orders/{id}/events'].get")
        .exists()
        .jsonPath("$.components.securitySchemes.bearer.scheme")
        .isEqualTo("bearer")
        .jsonPath("$.security[0].bearer")
        .exists();
    anonymous.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
    anonymous.get().uri("/actuator/asyncapi").exchange().expectStatus().isOk();
  }

  // The saga.

  static final List<StandInMessages.Line> LINES =
      List.of(new StandInMessages.Line("MUG", 2), new StandInMessages.Line("TEE", 1));

  private void reserve(UUID id) {
    awaitReceived(id, "inventory.reserve.v1");
    publish(id, new Reserved(id, LINES));
    awaitStatus(id, "INVENTORY_RESERVED");
  }

  private Authorize authorize(UUID id) {
    Authorize authorize = (Authorize) awaitReceived(id, "payment.authorize.v1").message();
    publish(id, new Authorized(id, "pay-" + id, authorize.amount(), authorize.currency()));
    awaitStatus(id, "CONFIRMED");
    return authorize;
  }

  private List<String> orderEventTypes(UUID id) {
    return recorder.typesOf(id).stream().filter(type -> type.startsWith("order.")).toList();
  }

  @Test
  void happyPathReachesShippedWithACompleteTimeline() {
    UUID id = place(customer());

    reserve(id);
    Authorize authorize = authorize(id);
    assertThat(authorize.amount()).isEqualByComparingTo("49.89");
    assertThat(authorize.currency()).isEqualTo("EUR");
    assertThat(authorize.cardToken()).isEqualTo("tok_visa");
    Schedule schedule = (Schedule) awaitReceived(id, "shipping.schedule.v1").message();
    assertThat(schedule.address().city()).isEqualTo("Berlin");
    assertThat(schedule.weightKg()).isEqualByComparingTo("1.0");
    publish(id, new Scheduled(id, "shp-1", "TRK-" + id, "DHL", LocalDate.now().plusDays(2)));
    OrderJson shipped = awaitStatus(id, "SHIPPED");

    assertThat(shipped.trackingNumber()).isEqualTo("TRK-" + id);
    assertThat(shipped.statuses())
        .containsExactly(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");
    assertThat(shipped.timeline()).allSatisfy(step -> assertThat(step.detail()).isNotBlank());
    assertThat(shipped.timeline())
        .extracting(Step::at)
        .isSortedAccordingTo(java.util.Comparator.naturalOrder());
    assertThat(recorder.typesOf(id))
        .contains("inventory.reserve.v1", "payment.authorize.v1", "shipping.schedule.v1")
        .doesNotContain("inventory.release.v1", "payment.refund.v1");

    // On Kafka, in order and keyed by the order, as any other consumer reads them.
    List<ConsumerRecord<String, byte[]>> events =
        KafkaTopics.awaitRecords(
            prefix + "orders.events",
            r -> id.toString().equals(r.key()),
            5,
            Duration.ofSeconds(20));
    assertThat(events)
        .extracting(r -> KafkaTopics.header(r, "ce_type"))
        .containsExactly(
            "order.placed.v1",
            "order.reserved.v1",
            "order.paid.v1",
            "order.confirmed.v1",
            "order.shipped.v1");
    // The events published are the order's stream as stored, event for event.
    assertThat(events)
        .extracting(
            r -> eventCodec.read(KafkaTopics.header(r, "ce_type"), new String(r.value(), UTF_8)))
        .isEqualTo(orders.stream(id));
  }

  @Test
  void theCardTokenIsStoredAndSentOnlyEncrypted() {
    UUID id = place(customer());

    String stored =
        jdbc.sql("select card_token from orders where id = ?")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("enc:v1:cardstest1:").doesNotContain("tok_visa");
    reserve(id);
    Authorize authorize = (Authorize) awaitReceived(id, "payment.authorize.v1").message();
    assertThat(authorize.cardToken()).isEqualTo("tok_visa");
    assertThat(awaitReceived(id, "payment.authorize.v1").envelope().extension("encryptionkeyid"))
        .isEqualTo("test1");
    // The outbox keeps what it sent for a day: the command's payload there is ciphertext too.
    assertThat(
            jdbc.sql(
                    "select payload from outbox where message_type = 'payment.authorize.v1'"
                        + " and envelope like ?")
                .param("%" + id + "%")
                .query(String.class)
                .single())
        .doesNotContain("tok_visa");
  }

  @Test
  void aCardTokenStoredInTheClearBeforeEncryptionIsEncryptedAndStillRead() {
    UUID id = place(customer());
    jdbc.sql("update orders set card_token = 'tok_legacy' where id = ?").param(id).update();

    Integer encrypted = transactions.execute(status -> orders.encryptClearCardTokens());
    assertThat(encrypted).isPositive();

    assertThat(
            jdbc.sql("select card_token from orders where id = ?")
                .param(id)
                .query(String.class)
                .single())
        .startsWith("enc:v1:cardstest1:")
        .doesNotContain("tok_legacy");
    String read =
        transactions.execute(status -> orders.lock(id).orElseThrow().snapshot().cardToken());
    assertThat(read).isEqualTo("tok_legacy");
  }

  @Test
  void noStockRejectsWithoutCharging() {
    UUID id = place(customer());
    awaitReceived(id, "inventory.reserve.v1");

    publish(id, new Rejected(id, "out of stock: MUG"));

    OrderJson rejected = awaitStatus(id, "REJECTED");
    assertThat(rejected.statuses()).containsExactly("PENDING", "REJECTED");
    assertThat(rejected.timeline().get(1).detail()).contains("out of stock: MUG");
    Cancelled cancelled = (Cancelled) awaitReceived(id, "order.cancelled.v1").message();
    assertThat(cancelled.status()).isEqualTo("REJECTED");
    // The cancellation left in the same transaction as anything else the step sent.
    assertThat(recorder.typesOf(id))
        .containsOnly("inventory.reserve.v1", "order.placed.v1", "order.cancelled.v1");
  }

  @Test
  void declinedPaymentCancelsAndReleasesTheStock() {
    UUID id = place(customer());
    reserve(id);
    awaitReceived(id, "payment.authorize.v1");

    publish(id, new Declined(id, "card expired"));

    OrderJson cancelled = awaitStatus(id, "CANCELLED");
    assertThat(cancelled.statuses()).containsExactly("PENDING", "INVENTORY_RESERVED", "CANCELLED");
    Release release = (Release) awaitReceived(id, "inventory.release.v1").message();
    assertThat(release.reason()).isEqualTo("payment declined");
    Cancelled event = (Cancelled) awaitReceived(id, "order.cancelled.v1").message();
    assertThat(event.status()).isEqualTo("CANCELLED");
    assertThat(recorder.typesOf(id)).doesNotContain("shipping.schedule.v1", "payment.refund.v1");

    // Inventory confirms the release: recorded, still cancelled.
    publish(id, new Released(id));
    await().atMost(WAIT).until(() -> order(id).timeline().size() == 4);
    assertThat(order(id).timeline().get(3))
        .satisfies(
            step -> {
              assertThat(step.status()).isEqualTo("CANCELLED");
              assertThat(step.detail()).isEqualTo("Inventory released");
            });
  }

  @Test
  void paymentThatNeverAnswersIsCompensatedAndALateAuthorizationRefunded() {
    UUID id = place(customer());
    reserve(id);
    Authorize authorize = (Authorize) awaitReceived(id, "payment.authorize.v1").message();

    // No answer from payment: the sweeper cancels at the deadline and releases the stock.
    OrderJson cancelled = awaitStatus(id, "CANCELLED");
    assertThat(cancelled.statuses()).containsExactly("PENDING", "INVENTORY_RESERVED", "CANCELLED");
    assertThat(cancelled.timeline().get(2).detail()).contains("payment");
    Duration waited =
        Duration.between(cancelled.timeline().get(1).at(), cancelled.timeline().get(2).at());
    assertThat(waited).isGreaterThanOrEqualTo(STEP_TIMEOUT);
    Release release = (Release) awaitReceived(id, "inventory.release.v1").message();
    assertThat(release.reason()).isEqualTo("timed out waiting for payment");
    assertThat(recorder.of(id, "payment.refund.v1")).isEmpty();

    // Payment comes back and handles the old command: the charge is refunded, the order stays.
    publish(id, new Authorized(id, "pay-late", authorize.amount(), authorize.currency()));
    Refund refund = (Refund) awaitReceived(id, "payment.refund.v1").message();
    assertThat(refund.orderId()).isEqualTo(id);
    publish(id, new Refunded(id, "pay-late", authorize.amount(), authorize.currency()));
    OrderJson after = await().atMost(WAIT).until(() -> order(id), o -> o.timeline().size() == 5);
    assertThat(after.status()).isEqualTo("CANCELLED");
    assertThat(after.statuses()).containsOnly("PENDING", "INVENTORY_RESERVED", "CANCELLED");
    assertThat(after.timeline().get(3).detail()).contains("pay-late", "refund requested");
    assertThat(after.timeline().get(4).detail()).contains("pay-late", "refunded");
    assertThat(recorder.of(id, "shipping.schedule.v1")).isEmpty();
    assertThat(orderEventTypes(id)).containsExactly("order.placed.v1", "order.cancelled.v1");
  }

  @Test
  void inventoryThatNeverAnswersIsCompensatedAndALateReservationReleased() {
    UUID id = place(customer());
    awaitReceived(id, "inventory.reserve.v1");

    // No answer from inventory: the sweeper cancels at the deadline and asks for a release at
    // once, though nothing may be reserved yet.
    OrderJson cancelled = awaitStatus(id, "CANCELLED");
    assertThat(cancelled.statuses()).containsExactly("PENDING", "CANCELLED");
    assertThat(cancelled.timeline().get(1).detail()).contains("No answer from inventory");
    Release release = (Release) awaitReceived(id, "inventory.release.v1").message();
    assertThat(release.reason()).isEqualTo("timed out waiting for inventory");

    // Inventory comes back and reserves for the old command, after its release: only a second
    // release frees that stock.
    publish(id, new Reserved(id, LINES));
    List<StandIns.Received> releases =
        await()
            .atMost(WAIT)
            .until(() -> recorder.of(id, "inventory.release.v1"), received -> received.size() == 2);
    assertThat(((Release) releases.get(1).message()).reason())
        .isEqualTo("order cancelled before the reservation");
    publish(id, new Released(id));
    OrderJson after = await().atMost(WAIT).until(() -> order(id), o -> o.timeline().size() == 4);
    assertThat(after.status()).isEqualTo("CANCELLED");
    assertThat(after.statuses()).containsExactly("PENDING", "CANCELLED", "CANCELLED", "CANCELLED");
    assertThat(after.timeline().get(2).detail())
        .isEqualTo("Inventory reserved after the order was cancelled; release requested");
    assertThat(after.timeline().get(3).detail()).isEqualTo("Inventory released");
    assertThat(recorder.of(id, "payment.authorize.v1")).isEmpty();
    assertThat(orders.stream(id))
        .extracting(event -> event.getClass().getSimpleName())
        .containsExactly(
            "OrderPlaced", "OrderCancelled", "OrderAnswerRecorded", "OrderAnswerRecorded");
  }

  @Test
  void aDeadlineDoesNotExpireWhileTheBrokersCannotBeReachedAndDoesOnceTheyAreBack() {
    UUID id = place(customer());
    reserve(id);
    awaitReceived(id, "payment.authorize.v1");

    Instant cut = Instant.now();
    brokers.cut();
    try {
      // Well past the step timeout, the order still waits: saga time stands still.
      await()
          .during(STEP_TIMEOUT.plusSeconds(2))
          .atMost(STEP_TIMEOUT.plusSeconds(10))
          .until(() -> order(id).status(), "INVENTORY_RESERVED"::equals);
    } finally {
      brokers.restore();
    }
    Instant back = Instant.now();

    OrderJson cancelled = awaitStatus(id, "CANCELLED");
    Instant reserved = cancelled.timeline().get(1).at();
    Instant timedOut = cancelled.timeline().get(2).at();
    assertThat(cancelled.timeline().get(2).detail()).contains("payment");
    assertThat(Duration.between(back, timedOut))
        .as("the recovery grace passes first")
        .isGreaterThanOrEqualTo(RECOVERY_GRACE);
    // Of the outage, at most one step of the clock (three sweeps) counts.
    assertThat(Duration.between(reserved, timedOut))
        .isGreaterThanOrEqualTo(
            STEP_TIMEOUT.plus(Duration.between(cut, back)).minus(Duration.ofMillis(600)));
    Release release = (Release) awaitReceived(id, "inventory.release.v1").message();
    assertThat(release.reason()).isEqualTo("timed out waiting for payment");
    assertThat(meters.get("order.saga.clock.lag").gauge().value())
        .as("seconds saga time is behind")
        .isGreaterThanOrEqualTo(Duration.between(cut, back).toSeconds() - 1.0);
  }

  @Test
  void answersWaitingUnreadOnKafkaStopTheDeadlinesUntilTheyAreRead() {
    UUID id = place(customer());
    reserve(id);
    awaitReceived(id, "payment.authorize.v1");

    // More answers wait for order-service than the backlog limit: its own backlog, not payment's
    // silence, so the deadline must not run.
    backlog.set(101);
    try {
      await()
          .during(STEP_TIMEOUT.plusSeconds(2))
          .atMost(STEP_TIMEOUT.plusSeconds(10))
          .until(() -> order(id).status(), "INVENTORY_RESERVED"::equals);
    } finally {
      backlog.set(0);
    }

    assertThat(awaitStatus(id, "CANCELLED").timeline().get(2).detail()).contains("payment");
  }

  @Test
  void redisAloneUnreachableStopsNoDeadline() {
    UUID id = place(customer());
    reserve(id);
    awaitReceived(id, "payment.authorize.v1");

    // Redis carries only the live-status broadcasts: a service really gone still times out.
    brokers.cut(Transport.REDIS);
    try {
      assertThat(awaitStatus(id, "CANCELLED").timeline().get(2).detail()).contains("payment");
    } finally {
      brokers.restore();
    }
  }

  @Test
  void shippingThatAnswersLateStillShipsWithoutRefund() {
    UUID id = place(customer());
    reserve(id);
    authorize(id);
    awaitStatus(id, "CONFIRMED");

    // Paid and reserved: past the step timeout the order keeps waiting instead of refunding.
    await()
        .during(STEP_TIMEOUT.plusSeconds(1))
        .atMost(STEP_TIMEOUT.plusSeconds(10))
        .until(() -> order(id).status(), "CONFIRMED"::equals);
    assertThat(recorder.of(id, "payment.refund.v1")).isEmpty();

    publish(id, new Scheduled(id, "shp-late", "TRK-late", "DHL", LocalDate.now()));
    OrderJson shipped = awaitStatus(id, "SHIPPED");
    assertThat(shipped.trackingNumber()).isEqualTo("TRK-late");
    assertThat(recorder.of(id, "inventory.release.v1")).isEmpty();
  }

  /**
   * The saga never asks shipping to ship an order that is or becomes cancelled: the shipment is
   * asked for in the step that confirms, and a confirmed order has no deadline. Versions of
   * order-service before the event store did cancel a confirmed order when shipping was late, with
   * its schedule command still on shipping's queue; such an order keeps the row they left, and its
   * stream catches up with that row when the shipment finally arrives.
   */
  @Test
  void aShipmentForAnOrderCancelledWhileShippingWasLateIsOnlyRecorded() {
    UUID id = place(customer());
    reserve(id);
    authorize(id);
    awaitReceived(id, "shipping.schedule.v1");
    Instant cancelledAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    jdbc.sql(
            "update orders set status = 'CANCELLED', deadline_at = null, updated_at = ?"
                + " where id = ?")
        .params(Timestamp.from(cancelledAt), id)
        .update();
    jdbc.sql(
            "insert into order_timeline (order_id, status, at, detail) values (?, 'CANCELLED', ?,"
                + " 'No answer from shipping in time; payment refund and inventory release"
                + " requested')")
        .params(id, Timestamp.from(cancelledAt))
        .update();

    publish(id, new Scheduled(id, "shp-late", "TRK-late", "DHL", LocalDate.now()));

    OrderJson after = await().atMost(WAIT).until(() -> order(id), o -> o.timeline().size() == 6);
    assertThat(after.status()).isEqualTo("CANCELLED");
    assertThat(after.trackingNumber()).isNull();
    assertThat(after.timeline().get(5))
        .satisfies(
            step -> {
              assertThat(step.status()).isEqualTo("CANCELLED");
              assertThat(step.detail())
                  .contains("shp-late", "TRK-late", "after the order was cancelled");
            });
    assertThat(orders.stream(id))
        .extracting(event -> event.getClass().getSimpleName())
        .containsExactly(
            "OrderPlaced",
            "OrderReserved",
            "OrderPaid",
            "OrderConfirmed",
            "OrderCarriedOver",
            "OrderAnswerRecorded");
    // Refund and release were for the cancelling version to ask; the shipment asks for nothing.
    assertThat(recorder.of(id, "payment.refund.v1")).isEmpty();
    assertThat(recorder.of(id, "inventory.release.v1")).isEmpty();
  }

  @Test
  void eventsForUnknownOrdersAreIgnored() {
    UUID unknown = UUID.randomUUID();
    publish(unknown, new Authorized(unknown, "pay-x", BigDecimal.TEN, "EUR"));
    // The saga's consumer goes on: a known order behind it on the same topic still moves.
    UUID id = place(customer());
    reserve(id);
    publish(id, new Declined(id, "insufficient funds"));
    awaitStatus(id, "CANCELLED");
    assertThat(recorder.of(unknown)).isEmpty();
  }

  /**
   * Every answer the saga consumes, delivered twice by the broker with one message id: the second
   * delivery is skipped as a duplicate, and the orders, their timelines and what they sent show
   * one.
   */
  @Test
  void everyAnswerTheBrokerDeliversTwiceCountsOnce() {
    List<String> types =
        List.of(
            "inventory.reserved.v1",
            "inventory.rejected.v1",
            "inventory.released.v1",
            "payment.authorized.v1",
            "payment.declined.v1",
            "payment.refunded.v1",
            "shipment.scheduled.v1");
    Map<String, Double> duplicatesBefore =
        types.stream().collect(Collectors.toMap(type -> type, this::duplicates));

    UUID shipped = place(customer());
    awaitReceived(shipped, "inventory.reserve.v1");
    twice(shipped, new Reserved(shipped, LINES));
    Authorize authorize = (Authorize) awaitReceived(shipped, "payment.authorize.v1").message();
    twice(shipped, new Authorized(shipped, "pay-2x", authorize.amount(), authorize.currency()));
    awaitReceived(shipped, "shipping.schedule.v1");
    twice(shipped, new Scheduled(shipped, "shp-2x", "TRK-2x", "DHL", LocalDate.now()));

    UUID rejected = place(customer());
    awaitReceived(rejected, "inventory.reserve.v1");
    twice(rejected, new Rejected(rejected, "out of stock: MUG"));

    UUID declined = place(customer());
    reserve(declined);
    awaitReceived(declined, "payment.authorize.v1");
    twice(declined, new Declined(declined, "card expired"));
    awaitStatus(declined, "CANCELLED");
    twice(declined, new Released(declined));
    twice(declined, new Refunded(declined, "pay-x", BigDecimal.TEN, "EUR"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(types)
                    .allSatisfy(
                        type ->
                            assertThat(duplicates(type))
                                .as(type)
                                .isEqualTo(duplicatesBefore.get(type) + 1)));
    assertThat(awaitStatus(shipped, "SHIPPED").statuses())
        .containsExactly(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");
    assertThat(recorder.of(shipped, "payment.authorize.v1")).hasSize(1);
    assertThat(recorder.of(shipped, "shipping.schedule.v1")).hasSize(1);
    assertThat(awaitStatus(rejected, "REJECTED").statuses()).containsExactly("PENDING", "REJECTED");
    assertThat(recorder.of(rejected, "order.cancelled.v1")).hasSize(1);
    assertThat(recorder.of(shipped, "payment.refund.v1")).isEmpty();
    // Cancelled, then a note for the release and one for the refund, each once.
    assertThat(order(declined).timeline())
        .extracting(Step::detail)
        .hasSize(5)
        .contains("Inventory released")
        .anySatisfy(detail -> assertThat(detail).startsWith("Payment pay-x refunded"));
    assertThat(recorder.of(declined, "inventory.release.v1")).hasSize(1);
  }

  /** Publishes an event that the broker then delivers twice, with one message id. */
  private void twice(UUID orderId, Object event) {
    redelivery.twice(() -> publish(orderId, event));
  }

  private double duplicates(String type) {
    return meters
        .find("messaging.consumed")
        .tags("type", type, "outcome", "duplicate")
        .counters()
        .stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  @Test
  void statusStreamShowsEveryStateInOrderAndEnds() throws Exception {
    String customer = customer();
    UUID id = place(customer);
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<Stream<String>> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/orders/" + id + "/events"))
                .header("Accept", "text/event-stream")
                .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    Thread reader =
        new Thread(
            () -> {
              try (Stream<String> body = response.body()) {
                body.forEach(lines::add);
              } finally {
                lines.add("<end>");
              }
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();

    List<String> statuses = new ArrayList<>();
    // The timeline so far comes first, before anything else happened.
    assertThat(nextStatus(lines)).isEqualTo("PENDING");
    statuses.add("PENDING");

    reserve(id);
    authorize(id);
    publish(id, new Scheduled(id, "shp-1", "TRK-1", "DHL", LocalDate.now()));

    String line;
    while (!(line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).equals("<end>")) {
      if (line.startsWith("data:")) {
        statuses.add(statusOf(line));
      }
    }
    assertThat(statuses)
        .containsExactly(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");

    // A stream opened on an ended order sends the whole timeline and ends.
    HttpResponse<String> replay =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/orders/" + id + "/events"))
                .header("Last-Event-ID", "0")
                .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(replay.body().lines().filter(l -> l.startsWith("data:")).map(this::statusOf))
        .containsExactly(
            "PENDING", "INVENTORY_RESERVED", "PAYMENT_AUTHORIZED", "CONFIRMED", "SHIPPED");
    assertThat(replay.body()).contains("event:status", "id:");
  }

  private String nextStatus(BlockingQueue<String> lines) throws InterruptedException {
    while (true) {
      String line = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(line).as("stream line").isNotNull().isNotEqualTo("<end>");
      if (line.startsWith("data:")) {
        return statusOf(line);
      }
    }
  }

  private String statusOf(String dataLine) {
    String json = dataLine.substring("data:".length());
    int start = json.indexOf("\"status\":\"") + "\"status\":\"".length();
    return json.substring(start, json.indexOf('"', start));
  }
}
