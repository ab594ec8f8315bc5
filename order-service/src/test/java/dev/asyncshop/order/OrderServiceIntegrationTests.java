package dev.asyncshop.order;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.test.Brokers;
import dev.asyncshop.messaging.test.TestApp;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** order-service against RabbitMQ and Redis on 127.0.0.1 and the shared embedded Kafka. */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
@Import(OrderServiceIntegrationTests.ShippingStandIn.class)
class OrderServiceIntegrationTests {

  /**
   * Queues are durable on the shared broker; a queue of this run's own keeps a running
   * shipping-service from answering in the stand-in's place.
   */
  static final String QUOTE_QUEUE = TestApp.unique("shipping.quote");

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    Brokers.requireRabbitMq();
    Brokers.requireRedis();
    registry.add("spring.kafka.bootstrap-servers", Brokers::kafka);
    // A list set here replaces application.yml's list as a whole, so the route is given in full.
    registry.add("messaging.routes[0].type", () -> "shipping.quote.v1");
    registry.add("messaging.routes[0].kind", () -> "query");
    registry.add("messaging.routes[0].transport", () -> "rabbitmq");
    registry.add("messaging.routes[0].destination", () -> QUOTE_QUEUE);
  }

  /** Answers quote queries in shipping-service's place, over the real queue. */
  static class ShippingStandIn {

    @HandleMessage
    ShippingQuote quote(ShippingQuoteRequest request) {
      return new ShippingQuote(request.weightKg().multiply(BigDecimal.TEN), "EUR", 3);
    }
  }

  @Autowired RestTestClient http;
  @Autowired MessageGateway gateway;

  @Test
  void isUpAndScraped() {
    for (String health : new String[] {"", "/liveness", "/readiness"}) {
      http.get()
          .uri("/actuator/health" + health)
          .exchange()
          .expectStatus()
          .isOk()
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo("UP");
    }
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
  }

  @Test
  void asksForShippingQuote() throws Exception {
    ShippingQuote quote =
        gateway
            .ask(new ShippingQuoteRequest(new BigDecimal("1.5")), ShippingQuote.class)
            .get(10, SECONDS);

    assertThat(quote.price()).isEqualByComparingTo("15");
    assertThat(quote.currency()).isEqualTo("EUR");
    assertThat(quote.etaDays()).isEqualTo(3);
  }

  @Test
  void quoteOverHttpGoesThroughTheQuery() {
    http.get()
        .uri("/shipping-quote?weightKg=2")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.price")
        .isEqualTo(20)
        .jsonPath("$.etaDays")
        .isEqualTo(3);
  }

  @Test
  void badWeightIsAProblemDetail() {
    for (String query : new String[] {"weightKg=-1", "weightKg=heavy", ""}) {
      http.get()
          .uri("/shipping-quote?" + query)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo(400);
    }
  }
}
