package dev.asyncshop.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator versions README's Kubernetes section names, and which custom resource API versions
 * (and, for Strimzi, which Kafka versions) each release serves, from the operators' release notes.
 * A custom resource the named release does not serve would be refused at apply time, or silently
 * converted by a release that is not the one named.
 *
 * @param named the version README names, by operator
 */
record OperatorVersions(Map<String, String> named) {

  static final String STRIMZI = "Strimzi";
  static final String KEDA = "KEDA";
  static final String RABBITMQ_CLUSTER = "RabbitMQ Cluster Operator";
  static final String RABBITMQ_TOPOLOGY = "RabbitMQ Messaging Topology Operator";
  static final String PROMETHEUS = "Prometheus Operator";

  /** An API version served from one release up to, not including, another (null: still served). */
  record Served(String operator, String apiVersion, Set<String> kinds, String from, String until) {}

  /**
   * Strimzi serves {@code v1beta2} from 0.22 until 1.0.0 (the release after 0.51), and {@code v1}
   * from 0.49; KEDA serves {@code keda.sh/v1alpha1} throughout 2.x; the RabbitMQ operators serve
   * {@code rabbitmq.com/v1beta1} for the kinds below since their 1.0 releases.
   */
  static final List<Served> SERVED =
      List.of(
          new Served(STRIMZI, "kafka.strimzi.io/v1beta2", Set.of(), "0.22.0", "0.52.0"),
          new Served(STRIMZI, "kafka.strimzi.io/v1", Set.of(), "0.49.0", null),
          new Served(KEDA, "keda.sh/v1alpha1", Set.of(), "2.0.0", null),
          new Served(
              RABBITMQ_CLUSTER, "rabbitmq.com/v1beta1", Set.of("RabbitmqCluster"), "1.0.0", null),
          new Served(
              RABBITMQ_TOPOLOGY,
              "rabbitmq.com/v1beta1",
              Set.of("User", "Permission", "Queue", "Exchange", "Binding", "Policy", "Vhost"),
              "1.0.0",
              null),
          // ServiceMonitor and PodMonitor with oauth2 endpoints.
          new Served(PROMETHEUS, "monitoring.coreos.com/v1", Set.of(), "0.53.0", null));

  /** The Kafka versions of each Strimzi minor release that the checks know. */
  static final Map<String, Set<String>> STRIMZI_KAFKA_VERSIONS =
      Map.of("0.49", Set.of("4.0.0", "4.0.1", "4.1.0", "4.1.1"));

  private static final List<String> OPERATORS =
      List.of(STRIMZI, KEDA, RABBITMQ_CLUSTER, RABBITMQ_TOPOLOGY, PROMETHEUS);

  /** Reads the table rows {@code | <operator> | <version> | ... |} of README.md. */
  static OperatorVersions fromReadme(String readme) {
    Map<String, String> named = new TreeMap<>();
    for (String operator : OPERATORS) {
      Matcher row =
          Pattern.compile(
                  "(?m)^\\|\\s*"
                      + Pattern.quote(operator)
                      + "\\s*\\|\\s*([0-9]+\\.[0-9]+\\.[0-9]+)\\s*\\|")
              .matcher(readme);
      if (row.find()) {
        named.put(operator, row.group(1));
      }
    }
    return new OperatorVersions(named);
  }

  /** The operator that owns a custom resource, or empty for a kind none of them owns. */
  static Optional<String> operatorOf(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return switch (group) {
      case "kafka.strimzi.io" -> Optional.of(STRIMZI);
      case "keda.sh" -> Optional.of(KEDA);
      case "monitoring.coreos.com" -> Optional.of(PROMETHEUS);
      case "rabbitmq.com" ->
          Optional.of("RabbitmqCluster".equals(kind) ? RABBITMQ_CLUSTER : RABBITMQ_TOPOLOGY);
      default -> Optional.empty();
    };
  }

  /** What is wrong with a custom resource of this apiVersion and kind, or empty. */
  Optional<String> problem(String apiVersion, String kind) {
    Optional<String> operator = operatorOf(apiVersion, kind);
    if (operator.isEmpty()) {
      return Optional.empty();
    }
    String version = named.get(operator.get());
    if (version == null) {
      return Optional.of(
          "README's Kubernetes section names no "
              + operator.get()
              + " version (a row | "
              + operator.get()
              + " | x.y.z |)");
    }
    List<String> served = new ArrayList<>();
    for (Served s : SERVED) {
      if (s.operator().equals(operator.get())
          && (s.kinds().isEmpty() || s.kinds().contains(kind))
          && compare(version, s.from()) >= 0
          && (s.until() == null || compare(version, s.until()) < 0)) {
        served.add(s.apiVersion());
      }
    }
    if (!served.contains(apiVersion)) {
      return Optional.of(
          apiVersion
              + " is not served by "
              + operator.get()
              + " "
              + version
              + " (README), which serves "
              + served
              + " for "
              + kind);
    }
    return Optional.empty();
  }

  /** What is wrong with a Kafka version under the named Strimzi release, or empty. */
  Optional<String> kafkaVersionProblem(String kafkaVersion) {
    String strimzi = named.get(STRIMZI);
    if (strimzi == null) {
      return Optional.of("README's Kubernetes section names no Strimzi version");
    }
    String minor = strimzi.substring(0, strimzi.lastIndexOf('.'));
    Set<String> supported = STRIMZI_KAFKA_VERSIONS.get(minor);
    if (supported == null) {
      return Optional.of(
          "the checks do not know the Kafka versions of Strimzi "
              + strimzi
              + ": add them to OperatorVersions from its release notes");
    }
    return supported.contains(kafkaVersion)
        ? Optional.empty()
        : Optional.of(
            "Kafka "
                + kafkaVersion
                + " is not supported by Strimzi "
                + strimzi
                + " (README), which runs "
                + new java.util.TreeSet<>(supported));
  }

  static int compare(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int left = i < x.length ? Integer.parseInt(x[i]) : 0;
      int right = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (left != right) {
        return Integer.compare(left, right);
      }
    }
    return 0;
  }
}
