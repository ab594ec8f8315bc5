package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.LocalTables;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.RouteTable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * How far each local table has read its topic. The target of each partition is its end offset just
 * before the table's consumer starts; a partition has caught up once a record at or past the
 * target's last offset was applied, or once the consumer's position reached the target while it had
 * nothing more to read (compaction can remove the records just below the end).
 */
final class KafkaLocalTables implements LocalTables {

  private final RouteTable routes;
  private final Map<String, Table> tables = new ConcurrentHashMap<>();

  KafkaLocalTables(RouteTable routes) {
    this.routes = routes;
  }

  /** Starts to track a table about to read its topic from the start. */
  Table open(String topic) {
    Table table = new Table(topic);
    tables.put(topic, table);
    return table;
  }

  void closeAll() {
    tables.clear();
  }

  Collection<Table> all() {
    return tables.values();
  }

  @Override
  public boolean caughtUp(String messageType) {
    Route route = routes.find(messageType);
    if (route == null || route.transport() != Transport.KAFKA) {
      return false;
    }
    Table table = tables.get(route.destination());
    return table != null && table.caughtUp();
  }

  @Override
  public boolean allCaughtUp() {
    return tables.values().stream().allMatch(Table::caughtUp);
  }

  /** One table's reading of its topic. */
  static final class Table {

    private final String topic;
    private final Map<TopicPartition, Long> targets = new ConcurrentHashMap<>();
    private final Set<TopicPartition> behind = ConcurrentHashMap.newKeySet();
    private volatile boolean assigned;

    Table(String topic) {
      this.topic = topic;
    }

    String topic() {
      return topic;
    }

    boolean caughtUp() {
      return assigned && behind.isEmpty();
    }

    /** Partitions not yet read up to their target, with the target. */
    Map<String, Long> behind() {
      Map<String, Long> left = new LinkedHashMap<>();
      behind.forEach(partition -> left.put(partition.toString(), targets.get(partition)));
      return left;
    }

    /** Where each partition begins and ends as the table starts to read it. */
    void started(Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends) {
      ends.forEach(
          (partition, end) -> {
            targets.put(partition, end);
            if (beginnings.getOrDefault(partition, 0L) < end) {
              behind.add(partition);
            }
          });
      assigned = true;
    }

    /** After the pipeline applied (or dead-lettered) a record. */
    void applied(ConsumerRecord<?, ?> record) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      Long target = targets.get(partition);
      if (target != null && record.offset() + 1 >= target) {
        behind.remove(partition);
      }
    }

    /** On the consumer's thread, when a poll found nothing more to read. */
    void idle(@Nullable Consumer<?, ?> consumer) {
      if (consumer == null) {
        return;
      }
      for (TopicPartition partition : Set.copyOf(behind)) {
        Long target = targets.get(partition);
        if (target != null && consumer.position(partition) >= target) {
          behind.remove(partition);
        }
      }
    }
  }
}
