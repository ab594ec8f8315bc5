package dev.asyncshop.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kafka grants of {@code deploy/kafka/acls.txt}, by user: what Compose's kafka-setup turns into
 * ACLs.
 */
final class KafkaAccess {

  static final Path FILE = Suite.ROOT.resolve("deploy/kafka/acls.txt");

  /**
   * One allowed operation on one resource, named as Strimzi's {@code KafkaUser} ACLs and {@code
   * kafka-acls.sh} name them.
   *
   * @param type {@code topic} or {@code group}
   * @param name the literal resource name
   * @param operation {@code Read}, {@code Write}, {@code Describe}, ...
   */
  record Grant(String type, String name, String operation) implements Comparable<Grant> {

    @Override
    public int compareTo(Grant other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      return operation + " " + type + " " + name;
    }
  }

  private KafkaAccess() {}

  static Map<String, Set<Grant>> read() {
    return parse(Suite.read(FILE));
  }

  static Map<String, Set<Grant>> parse(String text) {
    Map<String, Set<Grant>> grants = new TreeMap<>();
    List<String> lines =
        text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    for (String line : lines) {
      String[] fields = line.split("\\s+");
      if (fields.length != 4 || !Set.of("topic", "group").contains(fields[1])) {
        throw new IllegalStateException(
            FILE + ": '" + line + "' is not 'user topic|group name operation'");
      }
      grants
          .computeIfAbsent(fields[0], u -> new TreeSet<>())
          .add(new Grant(fields[1], fields[2], fields[3]));
    }
    return grants;
  }
}
