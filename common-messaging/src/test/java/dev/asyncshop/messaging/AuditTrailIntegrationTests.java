package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The audit trail, read back from the Kafka audit topic as any tool would. */
class AuditTrailIntegrationTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void everyStepOfAMessageIsOnTheAuditTopic() {
    TestApp.Destinations to = TestApp.Destinations.unique();
    String service = TestNames.unique("audited");
    String auditTopic = TestNames.unique("audit.events");
    Map<String, Object> properties = TestApp.baseProperties(service, to);
    properties.put("messaging.audit.topic", auditTopic);
    try (TestApp app = TestApp.start(properties)) {
      String flaky = "audited-flaky-" + UUID.randomUUID();
      String failing = "audited-failing-" + UUID.randomUUID();
      String once = "audited-once-" + UUID.randomUUID();
      app.probe().failTimes(flaky, 1);
      app.probe().alwaysFail(failing);

      app.gateway().send(new TestCommand(flaky));
      app.gateway().send(new TestCommand(failing));
      app.gateway().send(new TestCommand(once));
      await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(flaky).size() == 1);
      await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(once).size() == 1);
      String flakyId = app.probe().handled(flaky).get(0).envelope().id();

      List<AuditRecord> ofFlaky = auditRecords(auditTopic, flakyId, 4);
      assertThat(ofFlaky)
          .extracting(AuditRecord::outcome)
          .containsExactlyInAnyOrder(
              AuditOutcome.PUBLISHED,
              AuditOutcome.RECEIVED,
              AuditOutcome.RETRIED,
              AuditOutcome.HANDLED);
      // One chain, one partition: the receiver's records in the order it wrote them.
      assertThat(
              ofFlaky.stream().map(AuditRecord::outcome).filter(o -> o != AuditOutcome.PUBLISHED))
          .containsExactly(AuditOutcome.RECEIVED, AuditOutcome.RETRIED, AuditOutcome.HANDLED);
      // Handled at its first attempt: its receipt is the HANDLED record alone.
      String onceId = app.probe().handled(once).get(0).envelope().id();
      assertThat(auditRecords(auditTopic, onceId, 2))
          .extracting(AuditRecord::outcome)
          .containsExactlyInAnyOrder(AuditOutcome.PUBLISHED, AuditOutcome.HANDLED);
      AuditRecord handled =
          ofFlaky.stream().filter(r -> r.outcome() == AuditOutcome.HANDLED).findFirst().get();
      assertThat(handled.type()).isEqualTo("test.command.v1");
      assertThat(handled.kind()).isEqualTo(MessageKind.COMMAND);
      assertThat(handled.transport()).isEqualTo("rabbitmq");
      assertThat(handled.destination()).isEqualTo(to.queue());
      assertThat(handled.correlationId()).isEqualTo(flakyId);
      assertThat(handled.service()).isEqualTo(service);
      assertThat(handled.attempt()).isEqualTo(2);
      assertThat(handled.duration()).isPositive();
      assertThat(handled.time()).isNotNull();

      ConsumerRecord<String, byte[]> deadLettered =
          KafkaTopics.awaitRecord(
              auditTopic,
              r -> {
                AuditRecord record = JSON.readValue(r.value(), AuditRecord.class);
                return record.outcome() == AuditOutcome.DEAD_LETTERED
                    && record.detail() != null
                    && record.detail().contains(failing);
              },
              Duration.ofSeconds(20));
      AuditRecord record = JSON.readValue(deadLettered.value(), AuditRecord.class);
      assertThat(record.attempt()).isEqualTo(4);
      assertThat(record.detail()).startsWith("RETRIES_EXHAUSTED");
    }
  }

  @Test
  void aFailingAuditSinkNeverStopsTheBusinessMessage() {
    TestApp.Destinations to = TestApp.Destinations.unique();
    try (TestApp app =
        TestApp.start(
            TestApp.baseProperties(TestNames.unique("audit-broken"), to), BrokenSink.class)) {
      String text = "despite-audit-" + UUID.randomUUID();
      app.gateway().send(new TestCommand(text));

      await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(text).size() == 1);
      assertThat(app.meters().get("messaging.audit.failures").counter().count()).isPositive();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BrokenSink {
    @Bean
    AuditSink brokenAuditSink() {
      return record -> {
        throw new IllegalStateException("audit store is down");
      };
    }
  }

  private static List<AuditRecord> auditRecords(String topic, String messageId, int count) {
    return KafkaTopics.awaitRecords(
            topic,
            r -> messageId.equals(JSON.readValue(r.value(), AuditRecord.class).messageId()),
            count,
            Duration.ofSeconds(20))
        .stream()
        .map(r -> JSON.readValue(r.value(), AuditRecord.class))
        .toList();
  }
}
