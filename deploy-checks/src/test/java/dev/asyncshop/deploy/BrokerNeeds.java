package dev.asyncshop.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one service must be allowed on the brokers, derived from the services' AsyncAPI documents
 * and their idempotency store: the RabbitMQ names it must configure, write and read (as
 * common-messaging declares and uses them) and the Redis ACL rules it needs.
 *
 * @param configure RabbitMQ queues and exchanges it declares
 * @param write RabbitMQ exchanges it publishes to and queues it binds
 * @param read RabbitMQ queues it consumes and exchanges it binds from
 * @param redis Redis ACL rules, one token each
 */
record BrokerNeeds(Set<String> configure, Set<String> write, Set<String> read, Set<String> redis) {

  static final BrokerNeeds NONE = new BrokerNeeds(Set.of(), Set.of(), Set.of(), Set.of());

  /** Stands for the id of an instance's reply queue. */
  static final String INSTANCE = "6f1c2a9e-5b7d-4c3a-9e21-0d8f4b6a1c37";

  /** What every service's Redis client and health check do. */
  static final List<String> REDIS_BASE = List.of("+hello", "+ping", "+info");

  Set<String> rabbitMq(String what) {
    return switch (what) {
      case "configure" -> configure;
      case "write" -> write;
      case "read" -> read;
      default -> throw new IllegalArgumentException(what);
    };
  }

  /** One service's needs, by service. */
  static Map<String, BrokerNeeds> of(Traffic traffic, Map<String, String> idempotencyStores) {
    Map<String, BrokerNeeds> needs = new TreeMap<>();
    Set<String> services = new TreeSet<>(traffic.consumedQueues().keySet());
    services.addAll(traffic.sentQueues().keySet());
    services.addAll(traffic.published().keySet());
    services.addAll(traffic.subscribed().keySet());
    services.addAll(idempotencyStores.keySet());
    for (String service : services) {
      Set<String> configure = new TreeSet<>();
      Set<String> write = new TreeSet<>();
      Set<String> read = new TreeSet<>();
      for (String queue : traffic.consumedQueues().getOrDefault(service, Set.of())) {
        configure.addAll(
            List.of(
                queue,
                queue + ".exchange",
                queue + ".dlx",
                queue + ".dlq",
                queue + ".security.dlq"));
        write.addAll(List.of(queue, queue + ".dlq", queue + ".security.dlq", queue + ".dlx"));
        // The parking lot takes the dead letters out of the dead-letter queues.
        read.addAll(
            List.of(
                queue,
                queue + ".exchange",
                queue + ".dlx",
                queue + ".dlq",
                queue + ".security.dlq"));
        // An answerer writes to the reply exchange of every service that asks this queue.
        if (traffic.queries().contains(queue)) {
          traffic
              .sentQueues()
              .forEach(
                  (asker, sent) -> {
                    if (sent.contains(queue)) {
                      write.add(asker + ".replies");
                    }
                  });
        }
      }
      Set<String> sent = traffic.sentQueues().getOrDefault(service, Set.of());
      for (String queue : sent) {
        write.add(queue + ".exchange");
      }
      if (sent.stream().anyMatch(traffic.queries()::contains)) {
        String replyQueue = service + ".replies." + INSTANCE;
        configure.addAll(List.of(service + ".replies", replyQueue));
        write.add(replyQueue);
        read.addAll(List.of(service + ".replies", replyQueue));
      }
      List<String> redis = new ArrayList<>(REDIS_BASE);
      Set<String> published = traffic.published().getOrDefault(service, Set.of());
      Set<String> subscribed = traffic.subscribed().getOrDefault(service, Set.of());
      Set<String> channels = new TreeSet<>(published);
      channels.addAll(subscribed);
      channels.forEach(channel -> redis.add("&" + channel));
      if (!published.isEmpty()) {
        redis.add("+publish");
      }
      if (!subscribed.isEmpty()) {
        redis.addAll(List.of("+subscribe", "+unsubscribe", "+xadd", "+xlen", "+xrange", "+xdel"));
        subscribed.forEach(channel -> redis.add("~" + channel + ".dlq"));
        subscribed.forEach(channel -> redis.add("~" + channel + ".security.dlq"));
      }
      if ("redis".equals(idempotencyStores.get(service))) {
        redis.addAll(
            List.of("~idempotency:" + service + ":*", "+set", "+get", "+evalsha", "+eval"));
      }
      needs.put(service, new BrokerNeeds(configure, write, read, new TreeSet<>(redis)));
    }
    return needs;
  }

  /**
   * Who uses which destination, from the AsyncAPI documents.
   *
   * @param consumedQueues RabbitMQ queues each service receives from
   * @param sentQueues RabbitMQ queues each service sends commands or queries to
   * @param queries the queues that carry queries
   * @param published Redis channels each service broadcasts on
   * @param subscribed Redis channels each service hears
   */
  record Traffic(
      Map<String, Set<String>> consumedQueues,
      Map<String, Set<String>> sentQueues,
      Set<String> queries,
      Map<String, Set<String>> published,
      Map<String, Set<String>> subscribed) {

    static Traffic empty() {
      return new Traffic(
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new TreeSet<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>());
    }
  }
}
