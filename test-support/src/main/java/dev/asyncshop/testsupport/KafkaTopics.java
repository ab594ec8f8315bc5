package dev.asyncshop.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/** Reads topics of the tests' Kafka broker directly, as an outside tool would. */
public final class KafkaTopics {

  private KafkaTopics() {}

  /** Polls the topic from its start until a record matches, or fails after the timeout. */
  public static ConsumerRecord<String, byte[]> awaitRecord(
      String topic, Predicate<ConsumerRecord<String, byte[]>> matching, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> found = awaitRecords(topic, matching, 1, timeout);
    return found.get(0);
  }

  /** Polls the topic from its start until enough records match, or fails after the timeout. */
  public static List<ConsumerRecord<String, byte[]>> awaitRecords(
      String topic,
      Predicate<ConsumerRecord<String, byte[]>> matching,
      int count,
      Duration timeout) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && found.size() < count) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (matching.test(record)) {
            found.add(record);
          }
        }
      }
    }
    if (found.size() < count) {
      throw new AssertionError(
          "Found %d of %d matching records on topic %s within %s"
              .formatted(found.size(), count, topic, timeout));
    }
    return found;
  }

  public static Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        Brokers.kafka(),
        ConsumerConfig.GROUP_ID_CONFIG,
        "test-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        ByteArrayDeserializer.class);
  }

  /** A header's value as text, or {@code null}. */
  public static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
