package dev.asyncshop.payment;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.payment.OrderServiceMessages.AuthorizePayment;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestNames;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
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
 * The card gateway goes down while payment-service runs, as an operator takes it down ({@code PUT
 * /ops/gateway}): the authorize commands are retried, given back to their queue, and once two have
 * been, the queue's circuit breaker stops its consumer. No command is dead-lettered; the service's
 * health is DEGRADED, answered with 200. Once the gateway is back, every waiting order is
 * authorized. Against RabbitMQ, Redis and PostgreSQL on 127.0.0.1 and the shared embedded Kafka.
 */
@SpringBootTest(
    webEnvironment = RANDOM_PORT,
    properties = {
      // Two commands given back open the breaker; it lets a trial through after 3 s.
      "messaging.circuit-breaker.sliding-window-size=4",
      "messaging.circuit-breaker.minimum-number-of-calls=2",
      "messaging.circuit-breaker.wait-in-open=3s",
      "messaging.retry.initial-delay=20ms",
      "messaging.retry.max-delay=100ms"
    })
@Import(TestTokensConfiguration.class)
@AutoConfigureRestTestClient
@DirtiesContext
class GatewayOutageIntegrationTests {

  static final String PREFIX = TestNames.unique("outage") + ".";
  static final String QUEUE = PREFIX + "payment.authorize";
  static final String BREAKER = "rabbitmq:" + QUEUE + ":payment-service";
  static final int ORDERS = 4;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    ServiceTestProperties.register(registry, "payments", PREFIX);
  }

  @Autowired RestTestClient client;
  @Autowired MessageGateway gateway;
  @Autowired MeterRegistry meters;
  @Autowired AmqpAdmin admin;
  @Autowired JdbcClient jdbc;

  @Test
  void
      whileTheGatewayIsDownNoAuthorizeIsDeadLetteredAndOnceItIsBackEveryWaitingOrderIsAuthorized() {
    RestTestClient operator = as("OPS");
    as("STAFF")
        .put()
        .uri("/ops/gateway")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"failureRate\": 1.0}")
        .exchange()
        .expectStatus()
        .isForbidden();
    setFailureRate(operator, 1.0);

    List<String> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      String order = UUID.randomUUID().toString();
      orders.add(order);
      gateway.send(
          new AuthorizePayment(order, "customer-1", new BigDecimal("12.50"), "EUR", "tok_visa"));
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode health = health(operator);
              assertThat(health.get("status").asString()).isEqualTo("DEGRADED");
              JsonNode breaker =
                  health.get("components").get("messagingBreakers").get("details").get(BREAKER);
              assertThat(breaker.get("state").asString()).isEqualTo("open");
              assertThat(breaker.get("paused").asBoolean()).isTrue();
            });
    // The consumer stopped: the commands wait in the queue, none in its dead letters.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Properties queue = admin.getQueueProperties(QUEUE);
              assertThat(count(queue, RabbitAdmin.QUEUE_CONSUMER_COUNT)).isZero();
              assertThat(count(queue, RabbitAdmin.QUEUE_MESSAGE_COUNT)).isEqualTo(ORDERS);
            });
    assertThat(count(admin.getQueueProperties(QUEUE + ".dlq"), RabbitAdmin.QUEUE_MESSAGE_COUNT))
        .isZero();
    assertThat(meters.find("messaging.dead.lettered").tag("destination", QUEUE).counters())
        .isEmpty();
    assertThat(paymentsOf(orders)).isZero();

    setFailureRate(operator, 0.0);

    for (String order : orders) {
      KafkaTopics.awaitRecord(
          PREFIX + "payments.events",
          r ->
              order.equals(r.key())
                  && "payment.authorized.v1".equals(KafkaTopics.header(r, "ce_type")),
          Duration.ofSeconds(60));
    }
    assertThat(paymentsOf(orders)).isEqualTo(ORDERS);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(health(operator).get("status").asString()).isEqualTo("UP"));
    assertThat(
            meters
                .get("messaging.consumer.breaker.transitions")
                .tags("destination", QUEUE, "from", "half_open", "to", "closed")
                .counter()
                .count())
        .isOne();
    assertThat(count(admin.getQueueProperties(QUEUE + ".dlq"), RabbitAdmin.QUEUE_MESSAGE_COUNT))
        .isZero();
    assertThat(meters.find("messaging.dead.lettered").tag("destination", QUEUE).counters())
        .isEmpty();
  }

  private RestTestClient as(String role) {
    return client
        .mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, TOKENS.bearer("it-" + role.toLowerCase(), role))
        .build();
  }

  private static void setFailureRate(RestTestClient operator, double failureRate) {
    operator
        .put()
        .uri("/ops/gateway")
        .contentType(MediaType.APPLICATION_JSON)
        .body("{\"failureRate\": " + failureRate + "}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.failureRate")
        .isEqualTo(failureRate);
  }

  /** The service's health: DEGRADED is answered with 200, as UP is. */
  private static JsonNode health(RestTestClient operator) {
    String body =
        operator
            .get()
            .uri("/actuator/health")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  private int paymentsOf(List<String> orders) {
    return jdbc.sql("select count(*) from payment where order_id in (:orders)")
        .param("orders", orders)
        .query(Integer.class)
        .single();
  }

  private static int count(Properties queue, Object property) {
    return ((Number) queue.get(property)).intValue();
  }
}
