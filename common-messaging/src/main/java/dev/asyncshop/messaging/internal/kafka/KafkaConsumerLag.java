package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.ConsumerBacklog;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Gauges per subscription: how many records of its topic the consumer group has not committed yet,
 * and how many its dead-letter topic holds. Read from the broker when the gauge is read, so they
 * cost nothing between scrapes. The same reading, summed over every subscription, is the service's
 * {@link ConsumerBacklog}.
 */
final class KafkaConsumerLag implements ConsumerBacklog {

  private static final long TIMEOUT_SECONDS = 2;

  private final Admin admin;
  private final MessagingMetrics metrics;

  /** The topics each consumer group of this service subscribes to. */
  private final Map<String, Set<String>> subscriptions = new ConcurrentHashMap<>();

  KafkaConsumerLag(Admin admin, MessagingMetrics metrics) {
    this.admin = admin;
    this.metrics = metrics;
  }

  void register(String topic, String group) {
    subscriptions.computeIfAbsent(group, g -> ConcurrentHashMap.newKeySet()).add(topic);
    Gauge.builder(MessagingMetrics.CONSUMER_LAG, () -> lag(topic, group))
        .description("Records of the topic not yet committed by the consumer group")
        .tags("transport", Transport.KAFKA.id(), "destination", topic, "group", group)
        .register(metrics.registry());
    for (String deadLetters :
        List.of(
            KafkaSubscriber.deadLetterTopic(topic),
            KafkaSubscriber.securityDeadLetterTopic(topic))) {
      metrics.deadLetterDepth(Transport.KAFKA.id(), topic, deadLetters, () -> records(deadLetters));
    }
  }

  /**
   * The records a topic holds, summed over its partitions: for a dead-letter topic, which nobody
   * consumes, the dead letters still within its retention.
   */
  double records(String topic) {
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          offsets(partitions, OffsetSpec.latest());
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts =
          offsets(partitions, OffsetSpec.earliest());
      return partitions.stream()
          .mapToLong(tp -> Math.max(0, ends.get(tp).offset() - starts.get(tp).offset()))
          .sum();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    } catch (Exception e) {
      return Double.NaN;
    }
  }

  private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets(
      List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
    return admin
        .listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec)))
        .all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public OptionalLong unreadKafkaRecords() {
    long unread = 0;
    for (Map.Entry<String, Set<String>> group : subscriptions.entrySet()) {
      double lag = lag(group.getValue(), group.getKey());
      if (Double.isNaN(lag)) {
        return OptionalLong.empty();
      }
      unread += (long) lag;
    }
    return OptionalLong.of(unread);
  }

  double lag(String topic, String group) {
    return lag(Set.of(topic), group);
  }

  /**
   * The records of the topics the group has not committed: one request for its offsets, one for the
   * ends.
   */
  private double lag(Set<String> topics, String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> ofTopic =
          committed.entrySet().stream()
              .filter(e -> topics.contains(e.getKey().topic()) && e.getValue() != null)
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      if (ofTopic.isEmpty()) {
        return 0;
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  ofTopic.keySet().stream()
                      .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest())))
              .all()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return ofTopic.entrySet().stream()
          .mapToLong(e -> Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset()))
          .sum();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
