package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit records every service writes to Kafka, read back as a compliance tool would. */
final class AuditTopic {

  static final String TOPIC = "audit.events";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AuditTopic() {}

  /** Every record of one business flow so far (records are keyed by correlation id). */
  static List<JsonNode> recordsOf(String correlationId) {
    List<JsonNode> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaTopics.consumerConfig())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      int emptyPolls = 0;
      while (System.nanoTime() < deadline && emptyPolls < 3) {
        var records = consumer.poll(Duration.ofMillis(300));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, byte[]> record : records) {
          if (correlationId.equals(record.key())) {
            found.add(JSON.readTree(record.value()));
          }
        }
      }
    }
    return found;
  }
}
