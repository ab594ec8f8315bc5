package dev.asyncshop.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who consumes what, as {@code docs/messages.md} states it: the RabbitMQ queues each service
 * handles (commands and queries) and the Kafka topics and group each event consumer reads. The
 * autoscalers must watch exactly these.
 *
 * @param queues queue names by handling service ({@code inventory-service})
 * @param topics topic names by consuming service
 * @param groups consumer group by consuming service
 */
record MessageContract(
    Map<String, Set<String>> queues, Map<String, Set<String>> topics, Map<String, String> groups) {

  // | `inventory.reserve.v1` | `inventory.reserve` | order → inventory | ...
  private static final Pattern QUEUE_ROW =
      Pattern.compile(
          "^\\|\\s*`[^`]+`\\s*\\|\\s*`([^`]+)`\\s*\\|\\s*(\\w+)\\s*→\\s*(\\w+)\\s*\\|",
          Pattern.MULTILINE);

  // order-service consumes `inventory.events`, ... (consumer group `order-service`).
  private static final Pattern CONSUMES =
      Pattern.compile("([a-z]+-service) consumes ([^(]+)\\(consumer group `([^`]+)`\\)");

  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  static MessageContract read() {
    String text = Suite.read(Suite.ROOT.resolve("docs/messages.md"));
    Map<String, Set<String>> queues = new TreeMap<>();
    Matcher row = QUEUE_ROW.matcher(text);
    while (row.find()) {
      queues.computeIfAbsent(row.group(3) + "-service", k -> new TreeSet<>()).add(row.group(1));
    }
    Map<String, Set<String>> topics = new TreeMap<>();
    Map<String, String> groups = new TreeMap<>();
    Matcher consumes = CONSUMES.matcher(text.replaceAll("\\s+", " "));
    while (consumes.find()) {
      Matcher topic = BACKTICKED.matcher(consumes.group(2));
      while (topic.find()) {
        topics.computeIfAbsent(consumes.group(1), k -> new TreeSet<>()).add(topic.group(1));
      }
      groups.put(consumes.group(1), consumes.group(3));
    }
    if (queues.isEmpty() || topics.isEmpty()) {
      throw new IllegalStateException("docs/messages.md no longer lists queues or event consumers");
    }
    return new MessageContract(queues, topics, groups);
  }
}
