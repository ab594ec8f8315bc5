package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.testsupport.TestNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Consumers whose handler's database goes down, over RabbitMQ and the embedded Kafka broker: once
 * two messages came back unhandled, the subscription's circuit breaker opens and the consumer stops
 * taking messages (RabbitMQ: its container stopped, no consumer on the queue; Kafka: its container
 * paused), the messages wait on their broker and none is dead-lettered; once the database is back,
 * the breaker half-opens, a trial message closes it, and every waiting message is handled once.
 * Metrics, health and the audit trail say so throughout.
 */
class CircuitBreakerIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SERVICE = TestNames.unique("breakers");
  static final int WAITING = 5;
  static final String KEY = "order-1";

  static TestApp app;

  /** A handler of each transport whose database a test takes down and brings back. */
  static class DatabaseHandlers {

    final Set<String> down = ConcurrentHashMap.newKeySet();
    final List<String> handled = new CopyOnWriteArrayList<>();

    @HandleMessage
    void on(TestEvent event) {
      run("kafka", event.text());
    }

    @HandleMessage
    void on(TestCommand command) {
      run("rabbitmq", command.text());
    }

    private void run(String transport, String text) {
      if (down.contains(transport)) {
        throw new DataAccessResourceFailureException("the " + transport + " handler's database");
      }
      handled.add(text);
    }
  }

  /** Every audit record, as any sink would get it. */
  static class KeptAuditRecords implements AuditSink {

    final List<AuditRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void write(AuditRecord record) {
      records.add(record);
    }
  }

  @BeforeAll
  static void start() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    // Two messages given back open a breaker, and it tries again after 3 s.
    properties.put("messaging.circuit-breaker.sliding-window-size", "4");
    properties.put("messaging.circuit-breaker.minimum-number-of-calls", "2");
    properties.put("messaging.circuit-breaker.wait-in-open", "3s");
    app = TestApp.startSender(properties, DatabaseHandlers.class, KeptAuditRecords.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aQueueWhoseHandlersDatabaseIsDownStopsItsConsumerAndResumesWhenItIsBack() {
    DatabaseHandlers handlers = app.bean(DatabaseHandlers.class);
    handlers.down.add("rabbitmq");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < WAITING; i++) {
      String text = "queued-" + i + "-" + UUID.randomUUID();
      sent.add(text);
      app.gateway().send(new TestCommand(text));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> state("rabbitmq", TO.queue()) == 2);
    // The container stopped: no consumer on the queue, every message back in it, ready.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Properties queue = app.bean(AmqpAdmin.class).getQueueProperties(TO.queue());
              assertThat(count(queue, RabbitAdmin.QUEUE_CONSUMER_COUNT)).isZero();
              assertThat(count(queue, RabbitAdmin.QUEUE_MESSAGE_COUNT)).isEqualTo(WAITING);
            });
    assertThat(breakerDetails("rabbitmq", TO.queue()))
        .containsEntry("state", "open")
        .containsEntry("paused", true)
        .containsKey("openSince");
    assertThat(health().getStatus().getCode()).isEqualTo("DEGRADED");
    assertNothingDeadLettered("rabbitmq", TO.queue(), TO.queue() + ".dlq");
    assertThat(handlers.handled).doesNotContainAnyElementsOf(sent);

    handlers.down.remove("rabbitmq");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(handlers.handled).containsAll(sent));
    assertThat(handlers.handled.stream().filter(sent::contains)).hasSize(WAITING);
    assertRecovered("rabbitmq", TO.queue(), TO.queue() + ".dlq");
    assertThat(
            count(
                app.bean(AmqpAdmin.class).getQueueProperties(TO.queue()),
                RabbitAdmin.QUEUE_CONSUMER_COUNT))
        .isOne();
  }

  @Test
  void aTopicWhoseHandlersDatabaseIsDownPausesItsConsumerAndResumesWhenItIsBack() {
    DatabaseHandlers handlers = app.bean(DatabaseHandlers.class);
    // One key, so one partition, whose committed offset the lag is counted from.
    String before = "before-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent(KEY, before), MessageOptions.about(KEY));
    await().atMost(Duration.ofSeconds(30)).until(() -> handlers.handled.contains(before));
    handlers.down.add("kafka");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < WAITING; i++) {
      String text = "published-" + i + "-" + UUID.randomUUID();
      sent.add(text);
      app.gateway().publish(new TestEvent(KEY, text), MessageOptions.about(KEY));
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> state("kafka", TO.topic()) == 2);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(breakerDetails("kafka", TO.topic()))
                    .containsEntry("state", "open")
                    .containsEntry("paused", true));
    // The records wait in their partitions: none committed.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        app.meters()
                            .get(MessagingMetrics.CONSUMER_LAG)
                            .tags("transport", "kafka", "destination", TO.topic(), "group", SERVICE)
                            .gauge()
                            .value())
                    .isEqualTo(WAITING));
    // What a clock that waits for answers reads: the same records, over every subscription.
    assertThat(app.bean(ConsumerBacklog.class).unreadKafkaRecords()).hasValue(WAITING);
    assertThat(health().getStatus().getCode()).isEqualTo("DEGRADED");
    assertNothingDeadLettered("kafka", TO.topic(), TO.topic() + ".dlt");
    assertThat(handlers.handled).doesNotContainAnyElementsOf(sent);

    handlers.down.remove("kafka");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(handlers.handled).containsAll(sent));
    // In the order they were published: the partition waited behind the first of them.
    assertThat(handlers.handled.stream().filter(sent::contains)).containsExactlyElementsOf(sent);
    assertThat(handlers.handled.stream().filter(sent::contains)).hasSize(WAITING);
    assertRecovered("kafka", TO.topic(), TO.topic() + ".dlt");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        app.meters()
                            .get(MessagingMetrics.CONSUMER_LAG)
                            .tags("transport", "kafka", "destination", TO.topic(), "group", SERVICE)
                            .gauge()
                            .value())
                    .isZero());
    assertThat(app.bean(ConsumerBacklog.class).unreadKafkaRecords()).hasValue(0);
  }

  /** Closed again, after going through half-open; time open measured; all of it audited. */
  private static void assertRecovered(String transport, String destination, String deadLetters) {
    await().atMost(Duration.ofSeconds(10)).until(() -> state(transport, destination) == 0);
    assertThat(breakerDetails(transport, destination))
        .containsEntry("state", "closed")
        .containsEntry("paused", false)
        .doesNotContainKey("openSince");
    for (String[] transition :
        List.of(
            new String[] {"closed", "open"},
            new String[] {"open", "half_open"},
            new String[] {"half_open", "closed"})) {
      assertThat(transitions(transport, destination, transition[0], transition[1]))
          .as("%s -> %s on %s", transition[0], transition[1], transport)
          .isGreaterThanOrEqualTo(1);
    }
    assertThat(
            app.meters()
                .get(MessagingMetrics.BREAKER_OPEN_TIME)
                .tags("transport", transport, "destination", destination, "group", SERVICE)
                .functionCounter()
                .count())
        .as("seconds open")
        .isGreaterThanOrEqualTo(2.5);
    List<String> audited =
        app.bean(KeptAuditRecords.class).records.stream()
            .filter(record -> record.outcome() == AuditOutcome.BREAKER_TRANSITION)
            .filter(record -> record.destination().equals(destination))
            .map(AuditRecord::detail)
            .toList();
    assertThat(audited)
        .anyMatch(detail -> detail.contains("closed -> open"))
        .anyMatch(detail -> detail.contains("open -> half_open"))
        .last()
        .asString()
        .contains("half_open -> closed");
    assertNothingDeadLettered(transport, destination, deadLetters);
  }

  private static void assertNothingDeadLettered(
      String transport, String destination, String deadLetters) {
    MeterRegistry meters = app.meters();
    assertThat(
            meters
                .find(MessagingMetrics.DEAD_LETTERED)
                .tags("transport", transport, "destination", destination)
                .counters())
        .isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get(MessagingMetrics.DEAD_LETTER_DEPTH)
                            .tag("dead_letters", deadLetters)
                            .gauge()
                            .value())
                    .as("dead letters in %s", deadLetters)
                    .isZero());
  }

  private static int count(Properties queue, Object property) {
    return ((Number) queue.get(property)).intValue();
  }

  private static double state(String transport, String destination) {
    return app.meters()
        .get(MessagingMetrics.BREAKER_STATE)
        .tags("transport", transport, "destination", destination, "group", SERVICE)
        .gauge()
        .value();
  }

  private static double transitions(String transport, String destination, String from, String to) {
    return app
        .meters()
        .find(MessagingMetrics.BREAKER_TRANSITIONS)
        .tags("transport", transport, "destination", destination, "group", SERVICE)
        .tags("from", from, "to", to)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static Health health() {
    return app.context()
        .getBean("messagingBreakersHealthIndicator", HealthIndicator.class)
        .health();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> breakerDetails(String transport, String destination) {
    return (Map<String, Object>)
        health().getDetails().get(transport + ":" + destination + ":" + SERVICE);
  }
}
