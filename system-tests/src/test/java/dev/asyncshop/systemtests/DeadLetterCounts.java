package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * How many messages wait in each dead letter of the services' destinations, on all three brokers:
 * the {@code .dlq} and {@code .security.dlq} queues of every consumed queue, the {@code .dlt} and
 * {@code .security.dlt} topics of every consumed topic, and the {@code .dlq} stream of every
 * channel; and the parking lot of every service, where the services move them from there. Only the
 * non-empty ones are returned.
 */
final class DeadLetterCounts {

  private DeadLetterCounts() {}

  static Map<String, Long> nonEmpty(Suite suite, String kafka) {
    Map<String, Long> counts = new HashMap<>();
    rabbitMq(suite, counts);
    kafka(suite, kafka, counts);
    redis(suite, counts);
    parkingLots(suite, counts);
    counts.values().removeIf(count -> count == 0);
    return counts;
  }

  private static void rabbitMq(Suite suite, Map<String, Long> counts) {
    Endpoint endpoint = Brokers.rabbitMq();
    CachingConnectionFactory connections =
        new CachingConnectionFactory(endpoint.host(), endpoint.port());
    connections.setUsername(endpoint.username());
    connections.setPassword(endpoint.password());
    try {
      RabbitAdmin admin = new RabbitAdmin(connections);
      for (String queue : HostileMessagesSystemTests.QUEUES) {
        for (String suffix : List.of(".dlq", ".security.dlq")) {
          String name = suite.prefix + queue + suffix;
          Properties properties = admin.getQueueProperties(name);
          if (properties != null) {
            counts.put(
                "RabbitMQ " + name,
                ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue());
          }
        }
      }
    } finally {
      connections.destroy();
    }
  }

  private static void kafka(Suite suite, String bootstrapServers, Map<String, Long> counts) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<String> wanted =
          HostileMessagesSystemTests.TOPICS.stream()
              .flatMap(
                  topic ->
                      List.of(suite.prefix + topic + ".dlt", suite.prefix + topic + ".security.dlt")
                          .stream())
              .toList();
      List<String> existing =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(wanted::contains)
              .toList();
      Map<String, TopicDescription> topics =
          admin.describeTopics(existing).allTopicNames().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topics.forEach(
          (name, description) ->
              description
                  .partitions()
                  .forEach(
                      partition -> {
                        TopicPartition tp = new TopicPartition(name, partition.partition());
                        earliest.put(tp, OffsetSpec.earliest());
                        latest.put(tp, OffsetSpec.latest());
                      }));
      var starts = admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS);
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      ends.forEach(
          (tp, end) ->
              counts.merge(
                  "Kafka " + tp.topic(), end.offset() - starts.get(tp).offset(), Long::sum));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot count Kafka's dead letters: " + e, e);
    }
  }

  private static void redis(Suite suite, Map<String, Long> counts) {
    Endpoint endpoint = Brokers.redis();
    RedisStandaloneConfiguration configuration =
        new RedisStandaloneConfiguration(endpoint.host(), endpoint.port());
    LettuceConnectionFactory connections = new LettuceConnectionFactory(configuration);
    connections.afterPropertiesSet();
    connections.start();
    try {
      StringRedisTemplate redis = new StringRedisTemplate(connections);
      for (String channel : HostileMessagesSystemTests.CHANNELS) {
        for (String suffix : List.of(".dlq", ".security.dlq")) {
          String stream = suite.prefix + channel + suffix;
          Long size = redis.opsForStream().size(stream);
          counts.put("Redis " + stream, size == null ? 0 : size);
        }
      }
    } finally {
      connections.destroy();
    }
  }

  /** Messages waiting for an operator in each service's parking lot. */
  private static void parkingLots(Suite suite, Map<String, Long> counts) {
    for (String service : List.of("order", "inventory", "payment", "shipping")) {
      try (Connection connection = suite.database(service);
          var statement =
              connection.prepareStatement(
                  "select count(*) from parked_message where state in ('PARKED', 'REPLAYING')");
          var rows = statement.executeQuery()) {
        rows.next();
        counts.put("Parking lot of " + service + "-service", rows.getLong(1));
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot count " + service + "'s parking lot: " + e, e);
      }
    }
  }
}
