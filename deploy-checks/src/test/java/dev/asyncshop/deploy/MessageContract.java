package dev.asyncshop.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Who consumes what, as the services' AsyncAPI documents ({@code docs/asyncapi/<service>.yaml},
 * written by the build) state it: the RabbitMQ queues each service receives from (commands and
 * queries), the Kafka topics and group of each event consumer, and the topics each service
 * publishes. The autoscalers must watch exactly these, and the Kafka ACLs grant exactly these.
 *
 * @param queues queue names by receiving service ({@code inventory-service})
 * @param topics topic names by consuming service, consumed in its group
 * @param groups consumer group by consuming service
 * @param published Kafka topic names by publishing service
 * @param tables topic names by service that keeps a local table of them ({@code x-local-table}):
 *     every instance reads them from the start, with no group, so no autoscaler watches their lag
 * @param projections topic names by service that keeps read models of them ({@code x-projections}):
 *     read from the start with no group, the offsets in the service's database, and what a record
 *     cannot apply is parked there too, with no dead-letter topic
 * @param compacted the topics whose channels say {@code cleanup.policy: compact}
 * @param retention {@code retention.ms} by topic, for the topics whose channels set one ({@code
 *     -1}: every record forever)
 */
record MessageContract(
    Map<String, Set<String>> queues,
    Map<String, Set<String>> topics,
    Map<String, String> groups,
    Map<String, Set<String>> published,
    Map<String, Set<String>> tables,
    Map<String, Set<String>> projections,
    Set<String> compacted,
    Map<String, Long> retention) {

  static final Path DOCUMENTS = Suite.ROOT.resolve("docs/asyncapi");

  static MessageContract read() {
    Map<String, Set<String>> queues = new TreeMap<>();
    Map<String, Set<String>> topics = new TreeMap<>();
    Map<String, String> groups = new TreeMap<>();
    Map<String, Set<String>> published = new TreeMap<>();
    Map<String, Set<String>> tables = new TreeMap<>();
    Map<String, Set<String>> projections = new TreeMap<>();
    Set<String> compacted = new TreeSet<>();
    Map<String, Long> retention = new TreeMap<>();
    for (Path file : documents()) {
      Map<String, Object> document = map(Suite.yamlDocuments(Suite.read(file)).get(0));
      String service = String.valueOf(map(document.get("info")).get("title"));
      Map<String, Object> channels = map(document.get("channels"));
      for (Object channel : channels.values()) {
        Map<String, Object> kafka = map(map(map(channel).get("bindings")).get("kafka"));
        Object policy = map(kafka.get("topicConfiguration")).get("cleanup.policy");
        if (policy instanceof List<?> policies && policies.contains("compact")) {
          compacted.add(String.valueOf(kafka.get("topic")));
        }
        if (map(kafka.get("topicConfiguration")).get("retention.ms") instanceof Number millis) {
          Long other = retention.put(String.valueOf(kafka.get("topic")), millis.longValue());
          if (other != null && other != millis.longValue()) {
            throw new IllegalStateException(
                "The AsyncAPI documents give topic %s two retentions, %d and %d ms"
                    .formatted(kafka.get("topic"), other, millis.longValue()));
          }
        }
      }
      for (Object value : map(document.get("operations")).values()) {
        Map<String, Object> operation = map(value);
        String ref = String.valueOf(map(operation.get("channel")).get("$ref"));
        Map<String, Object> bindings =
            map(map(channels.get(ref.substring(ref.lastIndexOf('/') + 1))).get("bindings"));
        if ("send".equals(operation.get("action")) && bindings.containsKey("kafka")) {
          published
              .computeIfAbsent(service, s -> new TreeSet<>())
              .add(String.valueOf(map(bindings.get("kafka")).get("topic")));
        }
        if (!"receive".equals(operation.get("action"))) {
          continue;
        }
        if (bindings.containsKey("amqp")) {
          String queue = String.valueOf(map(map(bindings.get("amqp")).get("queue")).get("name"));
          queues.computeIfAbsent(service, s -> new TreeSet<>()).add(queue);
        }
        if (bindings.containsKey("kafka") && Boolean.TRUE.equals(operation.get("x-local-table"))) {
          tables
              .computeIfAbsent(service, s -> new TreeSet<>())
              .add(String.valueOf(map(bindings.get("kafka")).get("topic")));
        } else if (bindings.containsKey("kafka") && operation.containsKey("x-projections")) {
          projections
              .computeIfAbsent(service, s -> new TreeSet<>())
              .add(String.valueOf(map(bindings.get("kafka")).get("topic")));
        } else if (bindings.containsKey("kafka")) {
          topics
              .computeIfAbsent(service, s -> new TreeSet<>())
              .add(String.valueOf(map(bindings.get("kafka")).get("topic")));
          Map<String, Object> group =
              map(map(map(operation.get("bindings")).get("kafka")).get("groupId"));
          groups.put(service, String.valueOf(((List<?>) group.get("enum")).get(0)));
        }
      }
    }
    if (queues.isEmpty() || topics.isEmpty() || published.isEmpty()) {
      throw new IllegalStateException(
          DOCUMENTS + " no longer lists queues, event consumers or event publishers");
    }
    return new MessageContract(
        queues, topics, groups, published, tables, projections, compacted, retention);
  }

  private static List<Path> documents() {
    try (Stream<Path> files = Files.list(DOCUMENTS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }
}
