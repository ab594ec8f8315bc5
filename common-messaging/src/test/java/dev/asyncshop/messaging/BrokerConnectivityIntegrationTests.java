package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * {@link BrokerConnectivity} against real brokers: connected to the tests' brokers, and not to a
 * RabbitMQ that does not answer or a Kafka broker that stopped (one of this test's own, never the
 * shared one).
 */
class BrokerConnectivityIntegrationTests {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

  @Test
  void everyBrokerOfTheServicesRoutesReadsConnected() {
    try (TestApp app = app(Map.of())) {
      BrokerConnectivity connectivity = app.bean(BrokerConnectivity.class);

      await().atMost(WAIT).until(connectivity::connected);
      assertThat(connectivity.byTransport())
          .isEqualTo(
              Map.of(Transport.KAFKA, true, Transport.RABBITMQ, true, Transport.REDIS, true));
    }
  }

  @Test
  void aRabbitMqThatDoesNotAnswerReadsUnreachable() throws IOException {
    try (TestApp app = app(Map.of("spring.rabbitmq.port", String.valueOf(unusedPort())))) {
      BrokerConnectivity connectivity = app.bean(BrokerConnectivity.class);

      await()
          .atMost(WAIT)
          .until(
              connectivity::byTransport,
              readings ->
                  readings.equals(
                      Map.of(
                          Transport.KAFKA,
                          true,
                          Transport.RABBITMQ,
                          false,
                          Transport.REDIS,
                          true)));
      assertThat(connectivity.connected()).isFalse();
    }
  }

  @Test
  void aKafkaBrokerThatStopsReadsUnreachableWithinSeconds() {
    // The shared broker first, so that its address is the one the JVM keeps.
    Brokers.kafka();
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    // A broker sets its address as system properties, which outrank an application's own: this
    // one's must not replace the shared broker's for the tests after this one.
    kafka.brokerListProperty("asyncshop.test.stopping-kafka");
    String embedded = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
    kafka.afterPropertiesSet();
    restore(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS, embedded);
    String shared =
        System.setProperty(BOOTSTRAP_SERVERS, Objects.requireNonNull(kafka.getBrokersAsString()));
    TestApp started;
    try {
      started = app(Map.of("messaging.kafka.partitions", "1"));
    } finally {
      restore(BOOTSTRAP_SERVERS, shared);
    }
    try (TestApp app = started) {
      BrokerConnectivity connectivity = app.bean(BrokerConnectivity.class);
      await().atMost(WAIT).until(connectivity::connected);

      kafka.destroy();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> !connectivity.byTransport().get(Transport.KAFKA));
      assertThat(connectivity.connected()).isFalse();
    } finally {
      // Twice is harmless: the broker is already gone unless the test failed before.
      kafka.destroy();
    }
  }

  private static TestApp app(Map<String, String> overrides) {
    Map<String, Object> properties =
        TestApp.baseProperties(TestNames.unique("connectivity"), TestApp.Destinations.unique());
    // Nothing is published to the audit topic, so no producer waits for a stopped broker on close.
    properties.put("messaging.audit.kafka", "false");
    properties.putAll(overrides);
    return TestApp.start(properties);
  }

  private static void restore(String property, @Nullable String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
