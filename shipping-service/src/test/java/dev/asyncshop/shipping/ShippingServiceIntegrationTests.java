package dev.asyncshop.shipping;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.QueryFailedException;
import dev.asyncshop.messaging.testkit.BrokerRedelivery;
import dev.asyncshop.shipping.OrderServiceMessages.Address;
import dev.asyncshop.shipping.OrderServiceMessages.QuoteShipping;
import dev.asyncshop.shipping.OrderServiceMessages.ScheduleShipment;
import dev.asyncshop.shipping.OrderServiceMessages.ShippingQuote;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestNames;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
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
 * shipping-service against RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and the shared embedded
 * Kafka: queries and commands go in through its queues, events are read back from its Kafka topic.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@Import({TestTokensConfiguration.class, BrokerRedelivery.class})
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
class ShippingServiceIntegrationTests {

  /** Before every queue, topic and channel of this run, so no other run sees its messages. */
  static final String PREFIX = TestNames.unique("it") + ".";

  static final String EVENTS = PREFIX + "shipping.events";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    ServiceTestProperties.register(registry, "shipping", PREFIX);
  }

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
  @Autowired JdbcClient jdbc;
  @Autowired Clock clock;
  @Autowired BrokerRedelivery redelivery;

  @Test
  void publishesItsTariffAtStartForOrderServiceToPriceFromWhenNoQuoteCanBeHad() {
    var record =
        KafkaTopics.awaitRecord(PREFIX + "shipping.tariff", r -> "tariff".equals(r.key()), WAIT);
    assertThat(KafkaTopics.header(record, "ce_type")).isEqualTo("shipping.tariff.v1");
    JsonNode tariff = JSON.readTree(record.value());
    assertThat(tariff.get("currency").asString()).isEqualTo("EUR");
    assertThat(tariff.get("pricePerKg").decimalValue()).isEqualByComparingTo("1.20");
    assertThat(tariff.get("freightAboveKg").decimalValue()).isEqualByComparingTo("20");
    assertThat(tariff.get("freightExtraDays").asInt()).isEqualTo(2);
    assertThat(tariff.get("zones").toString())
        .contains(
            "\"name\":\"DOMESTIC\"", "\"countries\":[\"DE\"]", "\"name\":\"WORLD\"", "\"FR\"");
  }

  @Test
  void quotesByZoneAndWeight() throws Exception {
    assertThat(quote("DE", "2.5")).isEqualTo(new ShippingQuote(new BigDecimal("7.90"), "EUR", 2));
    assertThat(quote("fr", "2.5")).isEqualTo(new ShippingQuote(new BigDecimal("10.90"), "EUR", 4));
    assertThat(quote("US", "2.5")).isEqualTo(new ShippingQuote(new BigDecimal("17.90"), "EUR", 7));
    assertThat(quote("DE", "30")).isEqualTo(new ShippingQuote(new BigDecimal("40.90"), "EUR", 4));
    assertThat(quote("US", "30")).isEqualTo(new ShippingQuote(new BigDecimal("50.90"), "EUR", 9));
  }

  @Test
  void aQuoteForNoParcelFailsAtOnce() {
    assertThatThrownBy(
            () ->
                gateway
                    .ask(new QuoteShipping("DE", BigDecimal.ZERO), ShippingQuote.class)
                    .get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(QueryFailedException.class);
  }

  @Test
  void schedulesOneShipmentPerOrder() {
    String order = UUID.randomUUID().toString();
    ScheduleShipment command =
        new ScheduleShipment(
            order,
            new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            new BigDecimal("2.5"));
    LocalDate before = LocalDate.now(clock);
    double handledBefore = handled();

    gateway.send(command);
    gateway.send(command);

    JsonNode scheduled =
        JSON.readTree(
            KafkaTopics.awaitRecord(
                    EVENTS,
                    r ->
                        order.equals(r.key())
                            && "shipment.scheduled.v1".equals(KafkaTopics.header(r, "ce_type")),
                    WAIT)
                .value());
    assertThat(scheduled.get("orderId").asString()).isEqualTo(order);
    assertThat(scheduled.get("trackingNumber").asString()).matches("AS\\d{10}");
    assertThat(scheduled.get("carrier").asString()).isEqualTo("DHL");
    assertThat(LocalDate.parse(scheduled.get("estimatedDelivery").asString()))
        .isBetween(before.plusDays(2), LocalDate.now(clock).plusDays(2));
    await().atMost(WAIT).until(() -> handled() == handledBefore + 2);
    assertThat(outboxed(order)).isOne();
    http.get()
        .uri("/shipments/{orderId}", order)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.shipmentId")
        .isEqualTo(scheduled.get("shipmentId").asString())
        .jsonPath("$.trackingNumber")
        .isEqualTo(scheduled.get("trackingNumber").asString())
        .jsonPath("$.carrier")
        .isEqualTo("DHL")
        .jsonPath("$.address.city")
        .isEqualTo("Berlin")
        .jsonPath("$.price")
        .isEqualTo(7.90)
        .jsonPath("$.estimatedDelivery")
        .isEqualTo(scheduled.get("estimatedDelivery").asString());
  }

  @Test
  void aRedeliveredScheduleSchedulesOnce() {
    String order = UUID.randomUUID().toString();
    double duplicatesBefore = consumed("duplicate");

    // The broker delivering one command twice: the same message id, the same encrypted address.
    redelivery.twice(
        () ->
            gateway.send(
                new ScheduleShipment(
                    order,
                    new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
                    new BigDecimal("2.5"))));

    KafkaTopics.awaitRecord(
        EVENTS,
        r ->
            order.equals(r.key())
                && "shipment.scheduled.v1".equals(KafkaTopics.header(r, "ce_type")),
        WAIT);
    await().atMost(WAIT).until(() -> consumed("duplicate") == duplicatesBefore + 1);
    assertThat(outboxed(order)).isOne();
  }

  @Test
  void anUnknownShipmentIsAProblem() {
    http.get()
        .uri("/shipments/{orderId}", "no-such-order")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(404)
        .jsonPath("$.title")
        .isEqualTo("Unknown shipment")
        .jsonPath("$.orderId")
        .isEqualTo("no-such-order");
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
        .isEqualTo("UP");
    http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    http.get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/shipments/{orderId}'].get")
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

  private ShippingQuote quote(String country, String weightKg) throws Exception {
    return gateway
        .ask(new QuoteShipping(country, new BigDecimal(weightKg)), ShippingQuote.class)
        .get(10, SECONDS);
  }

  /**
   * Events written for an order: every event leaves through the outbox, so this counts them all.
   */
  private int outboxed(String orderId) {
    return jdbc.sql(
            "select count(*) from outbox where message_type = 'shipment.scheduled.v1'"
                + " and payload::jsonb ->> 'orderId' = :orderId")
        .param("orderId", orderId)
        .query(Integer.class)
        .single();
  }

  private double handled() {
    return consumed("handled");
  }

  private double consumed(String outcome) {
    Counter counter =
        meters
            .find("messaging.consumed")
            .tags(
                "destination",
                PREFIX + "shipping.schedule",
                "type",
                "shipping.schedule.v1",
                "outcome",
                outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
