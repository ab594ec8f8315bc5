package dev.asyncshop.messaging;

import static dev.asyncshop.testsupport.KafkaTopics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Local tables ({@link HandleMessage#table()}) against the embedded Kafka broker: each instance
 * reads its compacted topic from the first record at every start, through the signed pipeline.
 */
class LocalTableIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String STATES = TestNames.unique("test.states");
  static final String SERVICE = TestNames.unique("table-service");
  static final TestKey KEY = TestSigningKeys.generate("table1", SERVICE);

  @MessageType("test.state.v1")
  public record TestState(String key, String value) {}

  /** A table of the last value of each key; a value it cannot apply is refused. */
  public static class StateTable {

    final Map<String, String> values = new ConcurrentHashMap<>();
    final Map<String, Integer> applied = new ConcurrentHashMap<>();

    @HandleMessage(table = true)
    void apply(TestState state) {
      if (state.value().startsWith("unappliable")) {
        throw new NonRetryableMessageException("no such value: " + state.value());
      }
      values.put(state.key(), state.value());
      applied.merge(state.value(), 1, Integer::sum);
    }
  }

  /** The sender that publishes the states, signed, for the whole class. */
  static TestApp publisher;

  @BeforeAll
  static void startPublisher() {
    publisher = TestApp.startSender(properties());
  }

  @AfterAll
  static void stopPublisher() {
    publisher.close();
  }

  static Map<String, Object> properties() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    TestApp.route(properties, 5, "test.state.v1", "event", "kafka", STATES);
    properties.put("messaging.routes[5].compacted", "true");
    properties.put("messaging.signing.verify", "enforce");
    KEY.signWith(properties);
    KEY.accept(properties);
    properties.put("messaging.signing.allowed-senders[0].type", "test.state.v1");
    properties.put("messaging.signing.allowed-senders[0].services", SERVICE);
    return properties;
  }

  static TestApp startTable() {
    return TestApp.start(properties(), StateTable.class);
  }

  static void publish(String key, String value) {
    publisher.gateway().publish(new TestState(key, value), MessageOptions.about(key));
  }

  static void awaitCaughtUp(TestApp app) {
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> app.bean(LocalTables.class).caughtUp(TestState.class));
  }

  @Test
  void aServiceWithATableStartsWhileKafkaCannotBeReachedAndIsNotCaughtUp() {
    Map<String, Object> properties = properties();
    // A port nothing listens on: the table's partitions cannot be asked for.
    properties.put("spring.kafka.bootstrap-servers", "127.0.0.1:9");

    try (TestApp app = TestApp.start(properties, StateTable.class)) {
      assertThat(app.bean(LocalTables.class).allCaughtUp()).isFalse();
      assertThat(
              app.context()
                  .getBean("localTablesHealthIndicator", HealthIndicator.class)
                  .health()
                  .getStatus())
          .isEqualTo(Status.OUT_OF_SERVICE);
    }
  }

  @Test
  void aTableReadsItsWholeTopicAtEveryStartInEveryInstanceAndHasCaughtUpOnlyThen() {
    String run = UUID.randomUUID().toString();
    for (int i = 0; i < 20; i++) {
      publish("sku-" + i + "-" + run, "first-" + i + "-" + run);
    }

    try (TestApp first = startTable()) {
      awaitCaughtUp(first);
      // Caught up means every record the topic held at start was applied.
      assertThat(first.bean(StateTable.class).values)
          .containsEntry("sku-19-" + run, "first-19-" + run)
          .containsEntry("sku-0-" + run, "first-0-" + run);
      assertThat(first.bean(LocalTables.class).allCaughtUp()).isTrue();
      assertThat(
              first
                  .context()
                  .getBean("localTablesHealthIndicator", HealthIndicator.class)
                  .health()
                  .getStatus())
          .isEqualTo(Status.UP);

      try (TestApp second = startTable()) {
        awaitCaughtUp(second);
        assertThat(second.bean(StateTable.class).values)
            .containsEntry("sku-19-" + run, "first-19-" + run);

        publish("sku-0-" + run, "second-0-" + run);
        for (TestApp instance : List.of(first, second)) {
          await()
              .atMost(15, TimeUnit.SECONDS)
              .until(
                  () ->
                      ("second-0-" + run)
                          .equals(instance.bean(StateTable.class).values.get("sku-0-" + run)));
        }
      }
    }

    // Nothing was committed: a new start reads everything again, the old state and the new.
    try (TestApp again = startTable()) {
      awaitCaughtUp(again);
      StateTable table = again.bean(StateTable.class);
      assertThat(table.values).containsEntry("sku-0-" + run, "second-0-" + run);
      assertThat(table.values).containsEntry("sku-7-" + run, "first-7-" + run);
      Admin admin = again.context().getBean("messagingKafkaAdminClient", Admin.class);
      await()
          .atMost(10, TimeUnit.SECONDS)
          .untilAsserted(
              () ->
                  assertThat(
                          admin
                              .listConsumerGroupOffsets(SERVICE)
                              .partitionsToOffsetAndMetadata()
                              .get(10, TimeUnit.SECONDS)
                              .keySet())
                      .noneMatch(partition -> partition.topic().equals(STATES)));
    }
  }

  @Test
  void theLibraryCreatesTheTopicOfACompactedRouteCompacted() throws Exception {
    try (TestApp app = startTable()) {
      Admin admin = app.context().getBean("messagingKafkaAdminClient", Admin.class);
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, STATES);
      Config config =
          admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  @Test
  void aRecordTheTableCannotApplyIsDeadLetteredWithItsReasonAndTheTableGoesOn() {
    String run = UUID.randomUUID().toString();
    try (TestApp app = startTable()) {
      awaitCaughtUp(app);
      publish("bad-" + run, "unappliable-" + run);
      publish("bad-" + run, "fixed-" + run);

      ConsumerRecord<String, byte[]> deadLetter =
          KafkaTopics.awaitRecord(
              STATES + ".dlt",
              r -> new String(r.value(), StandardCharsets.UTF_8).contains("unappliable-" + run),
              Duration.ofSeconds(20));
      assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("NON_RETRYABLE");
      assertThat(header(deadLetter, DeadLetterHeaders.EXCEPTION_MESSAGE))
          .isEqualTo("no such value: unappliable-" + run);
      assertThat(header(deadLetter, DeadLetterHeaders.ORIGINAL_DESTINATION)).isEqualTo(STATES);
      await()
          .atMost(15, TimeUnit.SECONDS)
          .until(
              () -> ("fixed-" + run).equals(app.bean(StateTable.class).values.get("bad-" + run)));
    }
  }

  @Test
  void aStateWithoutAValidSignatureIsRefusedAndNeverApplied() {
    String run = UUID.randomUUID().toString();
    try (TestApp app = startTable()) {
      awaitCaughtUp(app);
      Map<String, Object> unsignedProperties = TestApp.baseProperties(SERVICE, TO);
      TestApp.route(unsignedProperties, 5, "test.state.v1", "event", "kafka", STATES);
      unsignedProperties.put("messaging.routes[5].compacted", "true");
      try (TestApp unsigned = TestApp.startSender(unsignedProperties)) {
        unsigned
            .gateway()
            .publish(new TestState("forged-" + run, "forged-" + run), MessageOptions.about(run));
      }
      publish("genuine-" + run, "genuine-" + run);

      ConsumerRecord<String, byte[]> refused =
          KafkaTopics.awaitRecord(
              STATES + ".security.dlt",
              r -> new String(r.value(), StandardCharsets.UTF_8).contains("forged-" + run),
              Duration.ofSeconds(20));
      assertThat(header(refused, DeadLetterHeaders.REASON)).isEqualTo("SIGNATURE_INVALID");
      await()
          .atMost(15, TimeUnit.SECONDS)
          .until(() -> app.bean(StateTable.class).values.containsKey("genuine-" + run));
      assertThat(app.bean(StateTable.class).values).doesNotContainKey("forged-" + run);
    }
  }
}
