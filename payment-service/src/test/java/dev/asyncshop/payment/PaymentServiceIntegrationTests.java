package dev.asyncshop.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.test.Brokers;
import dev.asyncshop.messaging.test.TestApp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/** payment-service against RabbitMQ and Redis on 127.0.0.1 and the shared embedded Kafka. */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@AutoConfigureRestTestClient
// Closed after the class, while the shared Kafka broker still runs: at JVM exit the broker's own
// shutdown hook may stop it first, and the context's Kafka producer would wait 30 s for it.
@DirtiesContext
class PaymentServiceIntegrationTests {

  /**
   * Queues are durable on the shared broker; a queue of this run's own keeps commands of earlier
   * runs or of running services away from this test.
   */
  static final String QUEUE = TestApp.unique("payment.authorize");

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    Brokers.requireRabbitMq();
    Brokers.requireRedis();
    registry.add("spring.kafka.bootstrap-servers", Brokers::kafka);
    // A list set here replaces application.yml's list as a whole, so the route is given in full.
    registry.add("messaging.routes[0].type", () -> "payment.authorize.v1");
    registry.add("messaging.routes[0].kind", () -> "command");
    registry.add("messaging.routes[0].transport", () -> "rabbitmq");
    registry.add("messaging.routes[0].destination", () -> QUEUE);
  }

  @Autowired RestTestClient http;
  @Autowired MessageGateway gateway;
  @Autowired MeterRegistry meters;

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
  void authorizationCommandIsHandled() {
    gateway.send(new AuthorizePayment("order-1", new BigDecimal("19.90"), "EUR"));

    await().atMost(Duration.ofSeconds(10)).until(() -> handled() == 1);
  }

  private double handled() {
    Counter counter =
        meters
            .find("messaging.consumed")
            .tags("destination", QUEUE, "type", "payment.authorize.v1", "outcome", "handled")
            .counter();
    return counter == null ? 0 : counter.count();
  }
}
