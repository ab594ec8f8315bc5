package dev.asyncshop.console.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.console.ConsoleSettings;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;

/**
 * The timeline against a real Kafka broker: records of many flows on a topic of several partitions,
 * written by a producer with Kafka's default partitioner as the services' audit trail is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTimelineIntegrationTests {

  private final String topic = TestNames.unique("audit");
  private final Instant start = Instant.now();

  @BeforeAll
  void writeRecordsOfManyFlows() throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Brokers.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      // Written out of time order, as four services' records arrive.
      for (int flow = 0; flow < 20; flow++) {
        String id = "order-" + flow;
        producer.send(record(id, "inventory-service", "HANDLED", start.plusMillis(30)));
        producer.send(record(id, "order-service", "PUBLISHED", start.plusMillis(10)));
        producer.send(record(id, "inventory-service", "RECEIVED", start.plusMillis(20)));
      }
      producer.send(
          new ProducerRecord<>(topic, "order-7", "not json".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }

  private ProducerRecord<String, byte[]> record(
      String correlationId, String service, String outcome, Instant time) {
    String json =
        """
        {"messageId":"m","type":"inventory.reserve.v1","transport":"rabbitmq",
         "destination":"inventory.reserve","correlationId":"%s","service":"%s","outcome":"%s",
         "attempt":0,"time":"%s"}
        """
            .formatted(correlationId, service, outcome, time);
    return new ProducerRecord<>(topic, correlationId, json.getBytes(StandardCharsets.UTF_8));
  }

  private AuditTimeline timeline(int scanLimit, Duration window) {
    return new AuditTimeline(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            Brokers.kafka(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "never-joined"),
        new ConsoleSettings.Audit(
            topic,
            window,
            scanLimit,
            Duration.ofSeconds(20),
            1000,
            Duration.ofSeconds(20),
            Duration.ofMinutes(2)),
        JsonMapper.builder().build(),
        Clock.systemUTC());
  }

  @Test
  void showsEveryRecordOfOneFlowInTimeOrderAndNoneOfTheOthers() {
    Timeline timeline = timeline(200_000, Duration.ofDays(7)).of("order-7");

    assertThat(timeline.entries())
        .extracting(AuditEntry::service, AuditEntry::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("order-service", "PUBLISHED"),
            org.assertj.core.groups.Tuple.tuple("inventory-service", "RECEIVED"),
            org.assertj.core.groups.Tuple.tuple("inventory-service", "HANDLED"));
    assertThat(timeline.incomplete()).isNull();
    // Only the flow's own partition was read, not the whole topic.
    assertThat(timeline.scanned()).isLessThan(61);
  }

  @Test
  void aFlowWithoutRecordsHasAnEmptyTimeline() {
    Timeline timeline = timeline(200_000, Duration.ofDays(7)).of("order-unknown");

    assertThat(timeline.entries()).isEmpty();
    assertThat(timeline.incomplete()).isNull();
  }

  @Test
  void aReadingThatReachesItsLimitSaysSo() {
    Timeline timeline = timeline(1, Duration.ofDays(7)).of("order-3");

    assertThat(timeline.incomplete()).isEqualTo("stopped after reading 1 records");
  }

  @Test
  void aTopicThatDoesNotExistHasNothingToShow() {
    AuditTimeline missing =
        new AuditTimeline(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()),
            new ConsoleSettings.Audit(
                TestNames.unique("absent"),
                Duration.ofDays(1),
                10,
                Duration.ofSeconds(5),
                10,
                Duration.ofSeconds(5),
                Duration.ofMinutes(2)),
            JsonMapper.builder().build(),
            Clock.systemUTC());

    assertThat(missing.of("order-1").entries()).isEmpty();
  }
}
