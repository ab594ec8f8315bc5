package dev.asyncshop.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Broker users that are no service: programs that only watch what the services send, and have no
 * AsyncAPI document to derive their grants from. Their grants are fixed here, the same in Compose,
 * dev and prod, and must stay read-only: hearing a Redis channel, reading a Kafka topic without a
 * consumer group, and nothing on RabbitMQ, where reading a queue takes its messages away.
 */
final class Observers {

  /**
   * One observer and everything it may do.
   *
   * @param user its user name on every broker
   * @param redis its Redis ACL rules, one token each, without the destination prefix
   * @param kafka its Kafka grants
   */
  record Observer(String user, Set<String> redis, Set<KafkaAccess.Grant> kafka) {}

  /**
   * The operators' console: order-service's status broadcast for its live order list, and the audit
   * trail, which it reads by assigning itself the partitions (no group, no commits).
   */
  static final Observer OPS_CONSOLE =
      new Observer(
          "ops-console",
          new TreeSet<>(
              List.of("+hello", "+ping", "+info", "&orders.status", "+subscribe", "+unsubscribe")),
          new TreeSet<>(
              Set.of(new KafkaAccess.Grant("topic", BrokerSecurityChecks.AUDIT_TOPIC, "Read"))));

  static final Map<String, Observer> ALL = Map.of(OPS_CONSOLE.user(), OPS_CONSOLE);

  /** Redis commands that change nothing and publish nothing. */
  private static final Set<String> READ_ONLY_REDIS =
      Set.of("+hello", "+ping", "+info", "+subscribe", "+unsubscribe");

  private Observers() {}

  static boolean isObserver(String user) {
    return ALL.containsKey(user);
  }

  /**
   * Whether each observer's Redis rules are read-only and hear only a channel some service
   * publishes.
   *
   * @param published the Redis channels the services publish, by service
   */
  static List<String> redisProblems(Map<String, Set<String>> published) {
    Set<String> channels = new TreeSet<>();
    published.values().forEach(channels::addAll);
    List<String> problems = new ArrayList<>();
    for (Observer observer : ALL.values()) {
      for (String rule : observer.redis()) {
        if (rule.startsWith("&")) {
          if (!channels.contains(rule.substring(1))) {
            problems.add(
                observer.user() + " hears Redis channel " + rule + ", which no service publishes");
          }
        } else if (!READ_ONLY_REDIS.contains(rule)) {
          problems.add(observer.user() + "'s Redis rule " + rule + " is not read-only");
        }
      }
    }
    return problems;
  }

  /**
   * Whether each observer's Kafka grants only read topics, without a group, that some service
   * writes.
   *
   * @param written the Kafka topics the services write
   */
  static List<String> kafkaProblems(Set<String> written) {
    List<String> problems = new ArrayList<>();
    for (Observer observer : ALL.values()) {
      for (KafkaAccess.Grant grant : observer.kafka()) {
        if (!grant.type().equals("topic")
            || !Set.of("Read", "Describe").contains(grant.operation())) {
          problems.add(
              observer.user()
                  + " is granted "
                  + grant
                  + ": an observer reads topics, and joins no group");
        } else if (!written.contains(grant.name())) {
          problems.add(observer.user() + " reads topic " + grant.name() + ", which nobody writes");
        }
      }
    }
    return problems;
  }
}
