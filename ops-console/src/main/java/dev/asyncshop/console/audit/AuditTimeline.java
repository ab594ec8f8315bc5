package dev.asyncshop.console.audit;

import dev.asyncshop.console.ConsoleSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one flow's audit records from the audit topic, on demand. The services key every record by
 * its correlation id, so a flow's records are all in the one partition Kafka's partitioner gives
 * that key: only that partition is read, from the first record of the window to the end it had when
 * the reading began. Nothing is kept between two readings, so any number of consoles read the same
 * topic without a consumer group, an index or a store of their own; a reading costs one partition's
 * records of the window, bounded by {@link ConsoleSettings.Audit#scanLimit()} and {@link
 * ConsoleSettings.Audit#readTimeout()}.
 */
public class AuditTimeline {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Object> consumerConfig;
  private final ConsoleSettings.Audit settings;
  private final JsonMapper json;
  private final Clock clock;

  AuditTimeline(
      Map<String, Object> consumerConfig,
      ConsoleSettings.Audit settings,
      JsonMapper json,
      Clock clock) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    // Assigned, never subscribed: no group to join, no offsets to commit, nothing left behind.
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.readTimeout().toMillis());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    // A reader never makes the topic: before any service wrote to it, there is nothing to show.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumerConfig = Map.copyOf(config);
    this.settings = settings;
    this.json = json;
    this.clock = clock;
  }

  /**
   * @throws org.apache.kafka.common.KafkaException when Kafka cannot be read within the read
   *     timeout
   */
  public Timeline of(String correlationId) {
    long deadline = System.nanoTime() + settings.readTimeout().toNanos();
    List<AuditEntry> entries = new ArrayList<>();
    long scanned = 0;
    String incomplete = null;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
      List<PartitionInfo> partitions = consumer.partitionsFor(settings.topic());
      if (partitions.isEmpty()) {
        return new Timeline(correlationId, settings.window(), List.of(), 0, null);
      }
      TopicPartition partition =
          new TopicPartition(settings.topic(), partitionOf(correlationId, partitions.size()));
      consumer.assign(List.of(partition));
      long since = clock.instant().minus(settings.window()).toEpochMilli();
      OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(partition, since)).get(partition);
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      if (first != null) {
        consumer.seek(partition, first.offset());
        while (consumer.position(partition) < end && incomplete == null) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            if (record.offset() >= end) {
              break;
            }
            if (scanned == settings.scanLimit()) {
              incomplete = "stopped after reading " + scanned + " records";
              break;
            }
            scanned++;
            if (correlationId.equals(record.key())) {
              read(record.value(), entries);
            }
          }
          if (incomplete == null && System.nanoTime() > deadline) {
            incomplete = "stopped after " + settings.readTimeout().toSeconds() + " s of reading";
          }
        }
      }
    }
    entries.sort(Comparator.comparing(AuditEntry::time));
    return new Timeline(
        correlationId, settings.window(), List.copyOf(entries), scanned, incomplete);
  }

  /** The partition Kafka's default partitioner gives a keyed record. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private void read(byte[] value, List<AuditEntry> entries) {
    try {
      AuditEntry entry = AuditEntry.of(json.readTree(value));
      if (entry != null) {
        entries.add(entry);
      }
    } catch (JacksonException e) {
      // Not a record this console can read: the timeline shows the others.
    }
  }
}
