package dev.asyncshop.deploy;

import static dev.asyncshop.deploy.Workloads.child;
import static dev.asyncshop.deploy.Workloads.children;
import static dev.asyncshop.deploy.Workloads.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the brokers of a rendered overlay hold up when the suite scales out: Kafka's replication
 * against its broker count, topic partitions against the consumers that may read them, addresses
 * KEDA can resolve from its own namespace, and custom resources the named operator releases serve.
 */
final class ScaleOutChecks {

  /** Kafka's own defaults, for settings a Kafka resource leaves out. */
  private static final Map<String, Integer> KAFKA_DEFAULTS =
      Map.of(
          "default.replication.factor", 1,
          "min.insync.replicas", 1,
          "offsets.topic.replication.factor", 3,
          "transaction.state.log.replication.factor", 3,
          "transaction.state.log.min.isr", 2);

  private final ManifestChecks manifests;
  private final Workloads workloads;
  private final MessageContract contract;
  private final OperatorVersions operators;
  private final List<String> problems = new ArrayList<>();

  ScaleOutChecks(ManifestChecks manifests, MessageContract contract, OperatorVersions operators) {
    this.manifests = manifests;
    this.workloads = new Workloads(manifests);
    this.contract = contract;
    this.operators = operators;
  }

  List<String> problems() {
    problems.clear();
    manifests.custom("Kafka").forEach(this::checkReplication);
    checkPartitionsCoverConsumers();
    manifests.custom("ScaledObject").forEach(this::checkAutoscalerAddresses);
    manifests.all(GenericKubernetesResource.class).forEach(this::checkOperatorServes);
    return List.copyOf(problems);
  }

  private void problem(GenericKubernetesResource resource, String what) {
    problems.add(resource.getKind() + "/" + resource.getMetadata().getName() + ": " + what);
  }

  // ---- replication factor, min.insync.replicas and broker count

  private void checkReplication(GenericKubernetesResource kafka) {
    String cluster = kafka.getMetadata().getName();
    int brokers =
        pools(cluster).stream()
            .filter(p -> String.valueOf(spec(p).get("roles")).contains("broker"))
            .mapToInt(p -> Integer.parseInt(String.valueOf(spec(p).getOrDefault("replicas", 0))))
            .sum();
    Map<String, Object> config = child(child(spec(kafka), "kafka"), "config");
    int replication = setting(config, "default.replication.factor");
    int minInSync = setting(config, "min.insync.replicas");
    for (String factor :
        List.of(
            "default.replication.factor",
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor")) {
      if (setting(config, factor) > brokers) {
        problem(
            kafka,
            factor
                + " is "
                + setting(config, factor)
                + ", but its node pools run "
                + brokers
                + " broker(s): topics cannot be created");
      }
    }
    checkInSync(kafka, "default.replication.factor", replication, minInSync);
    checkInSync(
        kafka,
        "transaction.state.log.replication.factor",
        setting(config, "transaction.state.log.replication.factor"),
        setting(config, "transaction.state.log.min.isr"));
    for (GenericKubernetesResource topic : topics(cluster)) {
      Map<String, Object> spec = spec(topic);
      int replicas =
          spec.get("replicas") == null
              ? replication
              : Integer.parseInt(spec.get("replicas").toString());
      Object own = child(spec, "config").get("min.insync.replicas");
      int topicMinInSync = own == null ? minInSync : Integer.parseInt(own.toString());
      if (replicas > brokers) {
        problem(
            topic,
            "replicas "
                + replicas
                + " on a cluster of "
                + brokers
                + " broker(s): it cannot be made");
      }
      checkInSync(topic, "replicas", replicas, topicMinInSync);
    }
  }

  /**
   * The services send with acks=all: with min.insync.replicas equal to the replication factor the
   * loss of one broker refuses every send, and above it no send ever succeeds.
   */
  private void checkInSync(
      GenericKubernetesResource resource, String factorName, int factor, int minInSync) {
    if (minInSync >= factor && factor > 1 || minInSync > factor) {
      problem(
          resource,
          "min.insync.replicas "
              + minInSync
              + " with "
              + factorName
              + " "
              + factor
              + ": acks=all sends fail (NotEnoughReplicas) "
              + (minInSync > factor ? "always" : "as soon as one broker is down"));
    }
  }

  private static int setting(Map<String, Object> config, String key) {
    Object value = config.get(key);
    return value == null ? KAFKA_DEFAULTS.get(key) : Integer.parseInt(value.toString());
  }

  private List<GenericKubernetesResource> pools(String cluster) {
    return manifests.custom("KafkaNodePool").stream().filter(p -> inCluster(p, cluster)).toList();
  }

  private List<GenericKubernetesResource> topics(String cluster) {
    return manifests.custom("KafkaTopic").stream().filter(t -> inCluster(t, cluster)).toList();
  }

  private static boolean inCluster(GenericKubernetesResource resource, String cluster) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels != null && cluster.equals(labels.get("strimzi.io/cluster"));
  }

  private static String topicName(GenericKubernetesResource topic) {
    Object name = spec(topic).get("topicName");
    return name == null ? topic.getMetadata().getName() : name.toString();
  }

  // ---- partitions against the consumers' ceiling

  /**
   * A consumer group reads each partition with one consumer: replicas beyond a topic's partition
   * count idle, so partitions must cover the most replicas the autoscaler may start.
   */
  private void checkPartitionsCoverConsumers() {
    if (manifests.custom("Kafka").isEmpty()) {
      return;
    }
    for (Map.Entry<String, Set<String>> consumer : contract.topics().entrySet()) {
      Optional<Deployment> deployment = workloads.deployment(consumer.getKey());
      if (deployment.isEmpty()) {
        continue;
      }
      int max = workloads.maxReplicas(deployment.get());
      for (String topic : consumer.getValue()) {
        Optional<GenericKubernetesResource> declared =
            manifests.custom("KafkaTopic").stream()
                .filter(t -> topicName(t).equals(topic))
                .findFirst();
        if (declared.isEmpty()) {
          problems.add(
              "Deployment/"
                  + consumer.getKey()
                  + ": consumes topic "
                  + topic
                  + ", which no KafkaTopic declares");
          continue;
        }
        Object partitions = spec(declared.get()).get("partitions");
        int count = partitions == null ? 1 : Integer.parseInt(partitions.toString());
        if (count < max) {
          problem(
              declared.get(),
              count
                  + " partitions, but "
                  + consumer.getKey()
                  + " (group "
                  + contract.groups().get(consumer.getKey())
                  + ") scales to "
                  + max
                  + " replicas: "
                  + (max - count)
                  + " would idle");
        }
      }
    }
  }

  // ---- KEDA's addresses

  /**
   * KEDA's operator queries the brokers from its own namespace, where a Service's short name does
   * not resolve: every address a trigger uses must be {@code <service>.<namespace>.svc} (with the
   * ScaledObject's namespace) or a name outside the cluster.
   */
  private void checkAutoscalerAddresses(GenericKubernetesResource scaled) {
    String namespace = scaled.getMetadata().getNamespace();
    Optional<Deployment> target =
        workloads.deployment(String.valueOf(child(spec(scaled), "scaleTargetRef").get("name")));
    Map<String, String> env = target.map(workloads::environment).orElse(Map.of());
    for (Map<String, Object> trigger : children(spec(scaled), "triggers")) {
      String type = String.valueOf(trigger.get("type"));
      Map<String, Object> metadata = child(trigger, "metadata");
      List<String> addresses = new ArrayList<>();
      for (String key : List.of("bootstrapServers", "host")) {
        if (metadata.get(key) != null) {
          addresses.add(metadata.get(key).toString());
        }
        if (metadata.get(key + "FromEnv") != null) {
          addresses.add(env.get(metadata.get(key + "FromEnv").toString()));
        }
      }
      Map<String, Object> auth = child(trigger, "authenticationRef");
      if (!auth.isEmpty()) {
        authenticationAddresses(String.valueOf(auth.get("name")), addresses);
      }
      if (Set.of("kafka", "rabbitmq").contains(type) && addresses.isEmpty()) {
        problem(scaled, "trigger " + type + " names no broker address the checks can read");
      }
      for (String address : addresses) {
        if (address == null) {
          problem(scaled, "trigger " + type + " reads an address that no manifest sets");
        } else if (address.startsWith(ManifestChecks.SECRET)) {
          problem(
              scaled,
              "trigger "
                  + type
                  + " takes its address from "
                  + address
                  + ": keep addresses in a ConfigMap (credentials alone in the Secret) so that"
                  + " they can be checked");
        } else {
          for (String host : hosts(address)) {
            if (!resolvableFromAnywhere(host, namespace)) {
              problem(
                  scaled,
                  "trigger "
                      + type
                      + " connects to "
                      + host
                      + ", which KEDA resolves in its own namespace: use "
                      + host.replaceFirst("\\..*$", "")
                      + "."
                      + namespace
                      + ".svc");
            }
          }
        }
      }
    }
  }

  private void authenticationAddresses(String name, List<String> addresses) {
    for (GenericKubernetesResource auth : manifests.custom("TriggerAuthentication")) {
      if (!auth.getMetadata().getName().equals(name)) {
        continue;
      }
      for (Map<String, Object> ref : children(spec(auth), "configMapTargetRef")) {
        if (Set.of("host", "bootstrapServers").contains(ref.get("parameter"))) {
          addresses.add(
              workloads
                  .configMap(String.valueOf(ref.get("name")))
                  .map(c -> c.getData() == null ? null : c.getData().get(ref.get("key")))
                  .orElse(null));
        }
      }
      for (Map<String, Object> ref : children(spec(auth), "secretTargetRef")) {
        if (Set.of("host", "bootstrapServers").contains(ref.get("parameter"))) {
          addresses.add(ManifestChecks.SECRET + ref.get("name") + "/" + ref.get("key"));
        }
      }
    }
  }

  /** The host names of a list of addresses: {@code host:port}, or URIs with user and path. */
  static List<String> hosts(String addresses) {
    List<String> hosts = new ArrayList<>();
    for (String address : addresses.split(",")) {
      String host =
          address
              .trim()
              .replaceFirst("^[a-z]+://", "")
              .replaceFirst("^[^@/]*@", "")
              .replaceFirst("[:/].*$", "");
      if (!host.isEmpty()) {
        hosts.add(host);
      }
    }
    return hosts;
  }

  static boolean resolvableFromAnywhere(String host, String namespace) {
    if (ManifestChecks.isOutsideTheCluster(host)) {
      return true;
    }
    String[] parts = host.split("\\.");
    return parts.length >= 3
        && parts[2].equals("svc")
        && Objects.equals(parts[1], namespace)
        && (parts.length == 3 || host.endsWith(".svc.cluster.local"));
  }

  // ---- operator releases

  private void checkOperatorServes(GenericKubernetesResource resource) {
    operators
        .problem(resource.getApiVersion(), resource.getKind())
        .ifPresent(p -> problem(resource, p));
    if ("Kafka".equals(resource.getKind())) {
      Object version = child(spec(resource), "kafka").get("version");
      if (version == null) {
        problem(resource, "names no spec.kafka.version, so an operator upgrade upgrades Kafka too");
      } else {
        operators.kafkaVersionProblem(version.toString()).ifPresent(p -> problem(resource, p));
      }
    }
  }
}
