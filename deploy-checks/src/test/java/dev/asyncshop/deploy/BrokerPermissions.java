package dev.asyncshop.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules of {@code deploy/broker-users/permissions.conf}: per service, its RabbitMQ configure,
 * write and read regexes and its Redis ACL rules, with the destination prefix left out (as the
 * local run, Compose and Kubernetes apply them).
 *
 * @param rabbitMq regex by service, then by {@code configure}, {@code write} or {@code read}
 * @param redis ACL rules by service, one token each
 */
record BrokerPermissions(
    Map<String, Map<String, String>> rabbitMq, Map<String, List<String>> redis) {

  static final Path FILE = Suite.ROOT.resolve("deploy/broker-users/permissions.conf");

  static final String PREFIX = "{prefix}";

  static BrokerPermissions read() {
    return parse(Suite.read(FILE));
  }

  static BrokerPermissions parse(String text) {
    Map<String, Map<String, String>> rabbitMq = new LinkedHashMap<>();
    Map<String, List<String>> redis = new LinkedHashMap<>();
    for (String line : text.lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+", 4);
      if (fields.length < 4) {
        throw new IllegalStateException(FILE + ": not service, broker, what and rule: " + line);
      }
      String rule = fields[3].replace(PREFIX, "");
      switch (fields[1]) {
        case "rabbitmq" ->
            rabbitMq.computeIfAbsent(fields[0], s -> new LinkedHashMap<>()).put(fields[2], rule);
        case "redis" -> redis.put(fields[0], Arrays.asList(rule.split("\\s+")));
        default -> throw new IllegalStateException(FILE + ": unknown broker " + fields[1]);
      }
    }
    return new BrokerPermissions(rabbitMq, redis);
  }

  /**
   * Every service's problems, empty when each may do what its routes need and nothing more, and
   * each {@link Observers observer} exactly its fixed, read-only grants.
   */
  List<String> problems(Map<String, BrokerNeeds> needs) {
    List<String> problems = new ArrayList<>();
    Set<String> services = new TreeSet<>(needs.keySet());
    services.addAll(rabbitMq.keySet());
    services.addAll(redis.keySet());
    services.addAll(Observers.ALL.keySet());
    Set<String> universe = universe(needs);
    for (String service : services) {
      Observers.Observer observer = Observers.ALL.get(service);
      if (observer != null) {
        problems.addAll(observerProblems(observer));
        continue;
      }
      BrokerNeeds need = needs.getOrDefault(service, BrokerNeeds.NONE);
      for (String what : List.of("configure", "write", "read")) {
        String regex = rabbitMq.getOrDefault(service, Map.of()).get(what);
        if (regex == null) {
          problems.add("%s has no RabbitMQ %s rule".formatted(service, what));
          continue;
        }
        Set<String> needed = need.rabbitMq(what);
        Pattern pattern = Pattern.compile(regex);
        for (String name : universe) {
          boolean granted = pattern.matcher(name).matches();
          if (granted && !needed.contains(name)) {
            problems.add(
                "%s may %s '%s', which its routes do not need (%s)"
                    .formatted(service, what, name, regex));
          }
          if (!granted && needed.contains(name)) {
            problems.add(
                "%s may not %s '%s', which its routes need (%s)"
                    .formatted(service, what, name, regex));
          }
        }
      }
      Set<String> granted = new TreeSet<>(redis.getOrDefault(service, List.of()));
      Set<String> needed = need.redis();
      for (String rule : granted) {
        if (!needed.contains(rule)) {
          problems.add(
              "%s's Redis ACL grants '%s', which it does not need".formatted(service, rule));
        }
      }
      for (String rule : needed) {
        if (!granted.contains(rule)) {
          problems.add("%s's Redis ACL lacks '%s', which it needs".formatted(service, rule));
        }
      }
    }
    return problems;
  }

  private List<String> observerProblems(Observers.Observer observer) {
    List<String> problems = new ArrayList<>();
    if (rabbitMq.containsKey(observer.user())) {
      problems.add(
          "%s is an observer but has RabbitMQ rules %s: reading a queue takes its messages away"
              .formatted(observer.user(), rabbitMq.get(observer.user())));
    }
    Set<String> granted = new TreeSet<>(redis.getOrDefault(observer.user(), List.of()));
    if (!granted.equals(observer.redis())) {
      problems.add(
          "%s's Redis ACL is %s, but an observer's is fixed: %s"
              .formatted(observer.user(), granted, observer.redis()));
    }
    return problems;
  }

  /**
   * Every name a rule could be asked about: what any service needs, the resources of every queue
   * and asker, the default exchange, and names of nobody's.
   */
  private static Set<String> universe(Map<String, BrokerNeeds> needs) {
    Set<String> names =
        new TreeSet<>(
            List.of(
                "amq.default",
                "amq.rabbitmq.reply-to",
                "amq.topic",
                "messaging.dlx",
                "anything",
                "order-service.replies.evil.exchange"));
    for (BrokerNeeds need : needs.values()) {
      for (String what : List.of("configure", "write", "read")) {
        names.addAll(need.rabbitMq(what));
      }
    }
    for (String name : List.copyOf(names)) {
      for (String suffix :
          List.of("", ".exchange", ".dlx", ".dlq", ".security.dlq", ".replies", ".x")) {
        names.add(name + suffix);
      }
    }
    return names;
  }
}
