package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.testsupport.TestNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The depth of every transport's dead letters as a gauge, and the Kafka client's own meters, in an
 * instance of their own, so the dead letters made here show in no other test's counts.
 */
class DeadLetterDepthIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();

  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(TestApp.baseProperties(TestNames.unique("dead-letter-depth"), TO));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void everyTransportGaugesTheDepthOfItsDeadLetters() {
    String rejected = "reject-dead-letter-depth-" + UUID.randomUUID();
    app.gateway().send(new TestCommand(rejected));
    app.gateway().publish(new TestEvent("k", rejected));
    app.gateway().broadcast(new TestNotice(rejected));

    MeterRegistry meters = app.meters();
    Map<String, String> deadLetters =
        Map.of(
            "rabbitmq", TO.queue() + ".dlq",
            "kafka", TO.topic() + ".dlt",
            "redis", TO.channel() + ".dlq");
    deadLetters.forEach(
        (transport, destination) ->
            await()
                .atMost(15, TimeUnit.SECONDS)
                .untilAsserted(
                    () ->
                        assertThat(
                                meters
                                    .get(MessagingMetrics.DEAD_LETTER_DEPTH)
                                    .tag("transport", transport)
                                    .tag("dead_letters", destination)
                                    .gauge()
                                    .value())
                            .as("dead letters of %s", destination)
                            .isGreaterThanOrEqualTo(1.0)));
    assertThat(meters.find("kafka.consumer.fetch.manager.fetch.rate").meters()).isNotEmpty();
  }
}
