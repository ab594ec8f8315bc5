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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** The meters and health contributors a service gets, with their names and tags. */
class MetricsAndHealthIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SERVICE = TestNames.unique("metered");

  static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(TestApp.baseProperties(SERVICE, TO));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void everyTransportCountsAndTimesWithTransportDestinationAndTypeTags() {
    String text = "metered-" + UUID.randomUUID();
    app.gateway().send(new TestCommand(text));
    app.gateway().publish(new TestEvent("k", text));
    app.gateway().broadcast(new TestNotice(text));
    await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(text).size() == 3);

    MeterRegistry meters = app.meters();
    Map<String, String> destinations =
        Map.of(
            "rabbitmq", TO.queue(),
            "kafka", TO.topic(),
            "redis", TO.channel());
    Map<String, String> types =
        Map.of(
            "rabbitmq", "test.command.v1",
            "kafka", "test.event.v1",
            "redis", "test.notice.v1");
    for (String transport : destinations.keySet()) {
      String[] tags = {
        "transport", transport,
        "destination", destinations.get(transport),
        "type", types.get(transport)
      };
      assertThat(
              meters
                  .get(MessagingMetrics.PUBLISHED)
                  .tags(tags)
                  .tag("outcome", "success")
                  .counter()
                  .count())
          .as("published on %s", transport)
          .isEqualTo(1.0);
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          meters
                              .get(MessagingMetrics.CONSUMED)
                              .tags(tags)
                              .tag("outcome", "handled")
                              .counter()
                              .count())
                      .as("consumed on %s", transport)
                      .isEqualTo(1.0));
      assertThat(
              meters
                  .get(MessagingMetrics.HANDLER_DURATION)
                  .tags(tags)
                  .tag("outcome", "success")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(meters.get(MessagingMetrics.END_TO_END_LATENCY).tags(tags).timer().count())
          .isEqualTo(1);
      assertThat(meters.get(MessagingMetrics.QUEUE_WAIT).tags(tags).timer().count()).isEqualTo(1);
    }
  }

  @Test
  void queueDepthAndConsumerLagAreGauges() {
    String text = "gauged-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent("k", text));
    await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(text).size() == 1);

    MeterRegistry meters = app.meters();
    assertThat(
            meters
                .get(MessagingMetrics.QUEUE_DEPTH)
                .tags("transport", "rabbitmq", "destination", TO.queue())
                .gauge()
                .value())
        .isZero();
    assertThat(
            meters
                .get(MessagingMetrics.QUEUE_DEPTH)
                .tags("transport", "rabbitmq", "destination", TO.queue() + ".dlq")
                .gauge()
                .value())
        .isZero();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get(MessagingMetrics.CONSUMER_LAG)
                            .tags("transport", "kafka", "destination", TO.topic(), "group", SERVICE)
                            .gauge()
                            .value())
                    .isZero());
  }

  @Test
  void healthCoversAllThreeBrokers() {
    Map<String, Object> contributors = new java.util.HashMap<>();
    contributors.putAll(app.context().getBeansOfType(HealthContributor.class));
    // With Lettuce and Reactor on the class path, Boot's Redis health is reactive.
    contributors.putAll(app.context().getBeansOfType(ReactiveHealthIndicator.class));
    for (String broker : new String[] {"kafka", "rabbit", "redis"}) {
      Object contributor =
          contributors.entrySet().stream()
              .filter(e -> e.getKey().toLowerCase().startsWith(broker))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElseThrow(() -> new AssertionError("No health contributor for " + broker));
      assertThat(statuses(contributor)).as(broker).isNotEmpty().containsOnly(Status.UP);
    }
  }

  /** Boot's RabbitMQ health is a composite with one indicator per template. */
  private static List<Status> statuses(Object contributor) {
    if (contributor instanceof HealthIndicator indicator) {
      return List.of(indicator.health().getStatus());
    }
    if (contributor instanceof ReactiveHealthIndicator indicator) {
      return List.of(indicator.health().block().getStatus());
    }
    return ((CompositeHealthContributor) contributor)
        .stream().flatMap(entry -> statuses(entry.contributor()).stream()).toList();
  }
}
