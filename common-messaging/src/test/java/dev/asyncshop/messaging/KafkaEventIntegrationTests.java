package dev.asyncshop.messaging;

import static dev.asyncshop.testsupport.KafkaTopics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.Probe;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.TestNames;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

/** Events on Kafka, end to end against the embedded broker. */
class KafkaEventIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String TOPIC = TO.topic();
  static final String DLT = TOPIC + ".dlt";
  static final String SERVICE = TestNames.unique("kafka-service");

  static TestApp app;

  /** A second consumer group in the same application, for the two-group duplicate test. */
  static class SecondGroup {
    final Map<String, Integer> runs = new java.util.concurrent.ConcurrentHashMap<>();

    @HandleMessage(group = "second-group")
    void on(TestEvent event) {
      runs.merge(event.text(), 1, Integer::sum);
    }

    int runs(String text) {
      return runs.getOrDefault(text, 0);
    }
  }

  @BeforeAll
  static void start() {
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    app = TestApp.start(properties, SecondGroup.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private Probe probe() {
    return app.probe();
  }

  @Test
  void roundTripKeepsEveryEnvelopeAttribute() {
    String text = "round-trip-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent("order-1", text), MessageOptions.about("order-1"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    Envelope envelope = probe().handled(text).get(0).envelope();
    assertThat(envelope.id()).isNotBlank();
    assertThat(envelope.source()).isEqualTo("/asyncshop/" + SERVICE);
    assertThat(envelope.type()).isEqualTo("test.event.v1");
    assertThat(envelope.time()).isBefore(Instant.now().plusSeconds(1));
    assertThat(envelope.subject()).isEqualTo("order-1");
    assertThat(envelope.dataContentType()).isEqualTo("application/json");
    assertThat(envelope.correlationId()).isEqualTo(envelope.id());
    assertThat(envelope.causationId()).isNull();
    assertThat(envelope.traceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(envelope.partitionKey()).isEqualTo("order-1");
  }

  @Test
  void plainCloudEventsConsumerReadsOurRecords() {
    String text = "plain-" + UUID.randomUUID();
    app.gateway()
        .publish(
            new TestEvent("order-2", text),
            MessageOptions.about("order-2").correlatedWith("flow-7"));

    // The topic also holds other tests' deliberately broken records, which no CloudEvents reader
    // accepts; ours are found as raw records and then read exactly as the SDK's Kafka
    // deserializer reads each record of a plain consumer.
    ConsumerRecord<String, byte[]> record =
        KafkaTopics.awaitRecord(
            TOPIC,
            r -> new String(r.value(), StandardCharsets.UTF_8).contains(text),
            Duration.ofSeconds(15));
    CloudEvent found;
    try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
      found = deserializer.deserialize(TOPIC, record.headers(), record.value());
    }
    assertThat(record.key()).isEqualTo("order-2");
    assertThat(new String(found.getData().toBytes(), StandardCharsets.UTF_8)).contains(text);
    assertThat(found).as("record read by the CloudEvents SDK").isNotNull();
    assertThat(found.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(found.getType()).isEqualTo("test.event.v1");
    assertThat(found.getSource().toString()).isEqualTo("/asyncshop/" + SERVICE);
    assertThat(found.getSubject()).isEqualTo("order-2");
    assertThat(found.getDataContentType()).isEqualTo("application/json");
    assertThat(found.getTime()).isNotNull();
    assertThat(found.getExtension("correlationid")).isEqualTo("flow-7");
    assertThat(found.getExtension("partitionkey")).isEqualTo("order-2");
    assertThat(found.getExtension("traceparent")).isNotNull();
  }

  @Test
  void handlerFailingTwiceThenSucceedingRunsItsSideEffectOnce() {
    String text = "flaky-" + UUID.randomUUID();
    probe().failTimes(text, 2);
    double retriedBefore = retried();

    app.gateway().publish(new TestEvent("k", text));

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    assertThat(probe().runs(text)).isEqualTo(3);
    await().untilAsserted(() -> assertThat(retried() - retriedBefore).isEqualTo(2.0));
  }

  @Test
  void handlerAlwaysFailingIsDeadLetteredAndTheNextMessageStillRuns() {
    String bad = "always-failing-" + UUID.randomUUID();
    String next = "after-failing-" + UUID.randomUUID();
    probe().alwaysFail(bad);

    app.gateway().publish(new TestEvent("same-key", bad), MessageOptions.about("same-key"));
    app.gateway().publish(new TestEvent("same-key", next), MessageOptions.about("same-key"));

    ConsumerRecord<String, byte[]> deadLetter =
        KafkaTopics.awaitRecord(
            DLT,
            r -> new String(r.value(), StandardCharsets.UTF_8).contains(bad),
            Duration.ofSeconds(20));
    assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(header(deadLetter, DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(deadLetter, DeadLetterHeaders.EXCEPTION_MESSAGE))
        .isEqualTo("simulated failure 4 for " + bad);
    assertThat(header(deadLetter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("4");
    assertThat(header(deadLetter, DeadLetterHeaders.ORIGINAL_DESTINATION)).isEqualTo(TOPIC);
    assertThat(header(deadLetter, DeadLetterHeaders.CONSUMER_GROUP)).isEqualTo(SERVICE);
    Instant first = Instant.parse(header(deadLetter, DeadLetterHeaders.FIRST_FAILURE_TIME));
    Instant last = Instant.parse(header(deadLetter, DeadLetterHeaders.LAST_FAILURE_TIME));
    assertThat(last).isAfter(first);
    assertThat(header(deadLetter, DeadLetterHeaders.STACK_SUMMARY))
        .contains("IllegalStateException");
    assertThat(header(deadLetter, "ce_type")).isEqualTo("test.event.v1");
    assertThat(deadLetter.key()).isEqualTo("same-key");

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(next).size() == 1);
    assertThat(probe().handled(bad)).isEmpty();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(uncommitted(SERVICE)).isZero());
  }

  @Test
  void poisonRecordIsDeadLetteredWithoutRetries() {
    String id = UUID.randomUUID().toString();
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_source", "/somewhere".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "test.event.v1".getBytes(StandardCharsets.UTF_8));
    rawTemplate()
        .send(
            new ProducerRecord<>(
                TOPIC, null, "k", "{not json".getBytes(StandardCharsets.UTF_8), headers));
    RecordHeaders untyped = new RecordHeaders();
    untyped.add("ce_id", "no-type".getBytes(StandardCharsets.UTF_8));
    rawTemplate()
        .send(
            new ProducerRecord<>(TOPIC, null, "k", "{}".getBytes(StandardCharsets.UTF_8), untyped));

    ConsumerRecord<String, byte[]> unparseable =
        KafkaTopics.awaitRecord(DLT, r -> id.equals(header(r, "ce_id")), Duration.ofSeconds(20));
    assertThat(header(unparseable, DeadLetterHeaders.REASON)).isEqualTo("POISON");
    assertThat(header(unparseable, DeadLetterHeaders.ATTEMPTS)).isEqualTo("0");
    assertThat(header(unparseable, DeadLetterHeaders.EXCEPTION_MESSAGE))
        .startsWith("Payload is not a valid TestEvent");

    ConsumerRecord<String, byte[]> missingAttributes =
        KafkaTopics.awaitRecord(
            DLT, r -> "no-type".equals(header(r, "ce_id")), Duration.ofSeconds(20));
    assertThat(header(missingAttributes, DeadLetterHeaders.REASON)).isEqualTo("POISON");
    assertThat(header(missingAttributes, DeadLetterHeaders.EXCEPTION_MESSAGE))
        .isEqualTo("Missing CloudEvents attribute 'specversion'");
  }

  @Test
  void nonRetryableFailureIsDeadLetteredAtOnce() {
    String text = "reject-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent("k", text));

    ConsumerRecord<String, byte[]> deadLetter =
        KafkaTopics.awaitRecord(
            DLT,
            r -> new String(r.value(), StandardCharsets.UTF_8).contains(text),
            Duration.ofSeconds(20));
    assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("NON_RETRYABLE");
    assertThat(header(deadLetter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("1");
    assertThat(probe().runs(text)).isEqualTo(1);
  }

  @Test
  void orderPerKeyIsKeptWhileRetriesHappen() {
    String key = "ordered-" + UUID.randomUUID();
    List<String> texts =
        List.of(key + "-1", key + "-2", key + "-3", key + "-4", key + "-5", key + "-6");
    probe().failTimes(texts.get(1), 2);
    probe().failTimes(texts.get(4), 1);
    for (String text : texts) {
      app.gateway().publish(new TestEvent(key, text), MessageOptions.about(key));
    }

    await()
        .atMost(15, TimeUnit.SECONDS)
        .until(
            () ->
                probe().handled().stream()
                        .filter(h -> h.handler().equals("event") && h.text().startsWith(key))
                        .count()
                    == texts.size());
    List<String> order =
        probe().handled().stream()
            .filter(h -> h.handler().equals("event") && h.text().startsWith(key))
            .map(Probe.Handled::text)
            .toList();
    assertThat(order).containsExactlyElementsOf(texts);
  }

  @Test
  void duplicateRecordRunsTheHandlerOncePerConsumerGroup() {
    String id = UUID.randomUUID().toString();
    String text = "duplicate-" + id;
    double duplicatesBefore = counter(MessagingMetrics.DUPLICATES_SKIPPED);

    for (int i = 0; i < 3; i++) {
      rawTemplate().send(rawEvent(id, "dup-key", text));
    }

    SecondGroup second = app.bean(SecondGroup.class);
    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().handled(text).size() == 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> second.runs(text) == 1);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(counter(MessagingMetrics.DUPLICATES_SKIPPED) - duplicatesBefore)
                    .isEqualTo(4.0));
    assertThat(probe().handled(text)).hasSize(1);
    assertThat(second.runs(text)).isEqualTo(1);
  }

  @Test
  void aMessageHandledAfterALaterOneOfItsKeyIsCountedAsAnOrderingViolation() {
    String key = "late-" + UUID.randomUUID();
    double before = violations(SERVICE);
    double beforeInSecond = violations("second-group");

    for (String sequence : List.of("2", "1", "3")) {
      rawTemplate().send(sequencedEvent(key, sequence));
    }

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                probe().runs(key + "-1") + probe().runs(key + "-2") + probe().runs(key + "-3")
                    == 3);
    assertThat(violations(SERVICE) - before).isEqualTo(1.0);
    // The second consumer group saw the same late message, and counts it for itself.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> violations("second-group") - beforeInSecond == 1.0);
  }

  @Test
  void messagesOfAKeyHandledInTheirOrderCountNoOrderingViolation() {
    String key = "in-order-" + UUID.randomUUID();
    double before = counter(MessagingMetrics.ORDERING_VIOLATIONS);

    for (String sequence : List.of("1", "2", "3")) {
      rawTemplate().send(sequencedEvent(key, sequence));
    }

    await().atMost(10, TimeUnit.SECONDS).until(() -> probe().runs(key + "-3") == 1);
    assertThat(probe().runs(key + "-1") + probe().runs(key + "-2")).isEqualTo(2);
    assertThat(counter(MessagingMetrics.ORDERING_VIOLATIONS) - before).isZero();
  }

  /** An event about the key with the CloudEvents sequence, as another producer might send it. */
  private static ProducerRecord<String, byte[]> sequencedEvent(String key, String sequence) {
    ProducerRecord<String, byte[]> record =
        rawEvent(UUID.randomUUID().toString(), key, key + "-" + sequence);
    record.headers().add("ce_partitionkey", key.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_sequence", sequence.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  private static ProducerRecord<String, byte[]> rawEvent(String id, String key, String text) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_source", "/test".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "test.event.v1".getBytes(StandardCharsets.UTF_8));
    headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
    byte[] value =
        ("{\"key\":\"" + key + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(TOPIC, null, key, value, headers);
  }

  @SuppressWarnings("unchecked")
  private static KafkaTemplate<String, byte[]> rawTemplate() {
    return app.context().getBean("messagingKafkaTemplate", KafkaTemplate.class);
  }

  private static double retried() {
    return counter(MessagingMetrics.RETRIED);
  }

  private static double violations(String group) {
    return app
        .meters()
        .find(MessagingMetrics.ORDERING_VIOLATIONS)
        .tag("destination", TOPIC)
        .tag("group", group)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static double counter(String name) {
    return app.meters().find(name).tag("destination", TOPIC).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /** Records on the topic that the group has not committed yet. */
  private static long uncommitted(String group) throws Exception {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaTopics.consumerConfig())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      try (var admin =
          org.apache.kafka.clients.admin.Admin.create(
              Map.of("bootstrap.servers", Brokers.kafka()))) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return partitions.stream()
            .mapToLong(
                tp -> ends.get(tp) - (committed.get(tp) == null ? 0 : committed.get(tp).offset()))
            .sum();
      }
    }
  }
}
