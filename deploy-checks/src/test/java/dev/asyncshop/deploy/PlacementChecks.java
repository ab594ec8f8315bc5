package dev.asyncshop.deploy;

import static dev.asyncshop.deploy.Workloads.child;
import static dev.asyncshop.deploy.Workloads.children;
import static dev.asyncshop.deploy.Workloads.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a node's or a zone's loss, and a node drain, leave the suite running: services spread
 * over nodes and zones, budgets that let a drain proceed, brokers one per node and rack aware, and
 * readiness that a shared broker's outage does not empty.
 */
final class PlacementChecks {

  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String ZONE = "topology.kubernetes.io/zone";

  private final ManifestChecks manifests;
  private final Workloads workloads;
  private final Map<String, ServiceConfig> services;
  private final boolean spreadRequired;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param spreadRequired whether the overlay runs on a cluster of several nodes and zones (prod),
   *     where the services and brokers must be spread
   */
  PlacementChecks(
      ManifestChecks manifests, Map<String, ServiceConfig> services, boolean spreadRequired) {
    this.manifests = manifests;
    this.workloads = new Workloads(manifests);
    this.services = services;
    this.spreadRequired = spreadRequired;
  }

  List<String> problems() {
    problems.clear();
    manifests.all(PodDisruptionBudget.class).forEach(this::checkDrainProceeds);
    manifests.serviceDeployments().forEach(this::checkReadinessLeavesSharedBrokersOut);
    manifests.consoleDeployments().forEach(this::checkReadinessLeavesSharedBrokersOut);
    if (spreadRequired) {
      manifests.serviceDeployments().forEach(this::checkSpread);
      manifests.consoleDeployments().forEach(this::checkSpread);
      manifests.custom("Kafka").forEach(this::checkKafkaPlacement);
      manifests.custom("RabbitmqCluster").forEach(this::checkRabbitPlacement);
    }
    return List.copyOf(problems);
  }

  private void problem(String kind, String name, String what) {
    problems.add(kind + "/" + name + ": " + what);
  }

  // ---- services

  private void checkSpread(Deployment deployment) {
    String name = deployment.getMetadata().getName();
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    List<TopologySpreadConstraint> constraints =
        deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
    for (String key : List.of(HOSTNAME, ZONE)) {
      Optional<TopologySpreadConstraint> constraint =
          constraints.stream()
              .filter(c -> key.equals(c.getTopologyKey()))
              .filter(c -> ManifestChecks.matches(c.getLabelSelector(), labels))
              .findFirst();
      if (constraint.isEmpty()) {
        problem("Deployment", name, "no topology spread over " + key + " that counts its own pods");
      } else if ("DoNotSchedule".equals(constraint.get().getWhenUnsatisfiable())
          && !"Honor".equals(constraint.get().getNodeTaintsPolicy())) {
        problem(
            "Deployment",
            name,
            "spreads over "
                + key
                + " with DoNotSchedule but counts cordoned nodes (nodeTaintsPolicy is not Honor):"
                + " pods evicted by a drain may find no node");
      }
    }
  }

  /** A budget that allows no eviction at the autoscaler's floor blocks every node drain. */
  private void checkDrainProceeds(PodDisruptionBudget budget) {
    String name = budget.getMetadata().getName();
    for (Deployment deployment : manifests.all(Deployment.class)) {
      if (!ManifestChecks.matches(
          budget.getSpec().getSelector(),
          deployment.getSpec().getTemplate().getMetadata().getLabels())) {
        continue;
      }
      int floor = Math.max(1, workloads.minReplicas(deployment));
      IntOrString maxUnavailable = budget.getSpec().getMaxUnavailable();
      IntOrString minAvailable = budget.getSpec().getMinAvailable();
      int allowed;
      if (maxUnavailable != null) {
        allowed =
            maxUnavailable.getIntVal() != null
                ? maxUnavailable.getIntVal()
                : (int) Math.ceil(floor * percent(maxUnavailable) / 100.0);
      } else if (minAvailable != null) {
        int min =
            minAvailable.getIntVal() != null
                ? minAvailable.getIntVal()
                : (int) Math.ceil(floor * percent(minAvailable) / 100.0);
        allowed = floor - min;
      } else {
        allowed = 0;
      }
      if (allowed < 1) {
        problem(
            "PodDisruptionBudget",
            name,
            "allows no eviction of "
                + deployment.getMetadata().getName()
                + " at its "
                + floor
                + " replica(s): a node drain never ends");
      }
      if (!"AlwaysAllow".equals(budget.getSpec().getUnhealthyPodEvictionPolicy())) {
        problem(
            "PodDisruptionBudget",
            name,
            "unhealthyPodEvictionPolicy is not AlwaysAllow: pods that are not ready block a drain");
      }
    }
  }

  private static double percent(IntOrString value) {
    return Double.parseDouble(value.getStrVal().replace("%", "").trim());
  }

  /**
   * Kafka and Redis are shared by every instance, and the outbox absorbs a Kafka outage: in
   * readiness they would take every instance out of its Service at once. The overlay's environment
   * overrides the service's own application.yml.
   */
  private void checkReadinessLeavesSharedBrokersOut(Deployment deployment) {
    ServiceConfig service =
        manifests
            .served(deployment.getMetadata().getName())
            .orElse(services.get(deployment.getMetadata().getName()));
    Object include =
        workloads
            .environment(deployment)
            .getOrDefault(
                "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE",
                service == null
                    ? null
                    : String.valueOf(
                        service
                            .properties()
                            .get("management.endpoint.health.group.readiness.include")));
    if (include == null) {
      return;
    }
    for (String contributor : include.toString().split("\\s*,\\s*")) {
      if (List.of("kafka", "redis").contains(contributor)) {
        problem(
            "Deployment",
            deployment.getMetadata().getName(),
            "readiness includes "
                + contributor
                + ": its outage would empty the Service although the instances still serve");
      }
    }
  }

  // ---- brokers

  private void checkKafkaPlacement(GenericKubernetesResource kafka) {
    String cluster = kafka.getMetadata().getName();
    if (child(child(spec(kafka), "kafka"), "rack").get("topologyKey") == null) {
      problem(
          "Kafka",
          cluster,
          "no rack (spec.kafka.rack.topologyKey): a partition's replicas may share a zone");
    }
    for (GenericKubernetesResource pool : manifests.custom("KafkaNodePool")) {
      Map<String, String> labels = pool.getMetadata().getLabels();
      if (labels == null || !cluster.equals(labels.get("strimzi.io/cluster"))) {
        continue;
      }
      Map<String, Object> affinity = child(child(child(spec(pool), "template"), "pod"), "affinity");
      if (!oneReplicaPerNode(affinity)) {
        problem(
            "KafkaNodePool",
            pool.getMetadata().getName(),
            "no required pod anti-affinity on "
                + HOSTNAME
                + ": two brokers on one node fail together");
      }
    }
  }

  private void checkRabbitPlacement(GenericKubernetesResource rabbit) {
    Object replicas = spec(rabbit).get("replicas");
    if (replicas != null
        && Integer.parseInt(replicas.toString()) > 1
        && !oneReplicaPerNode(child(spec(rabbit), "affinity"))) {
      problem(
          "RabbitmqCluster",
          rabbit.getMetadata().getName(),
          "no required pod anti-affinity on "
              + HOSTNAME
              + ": a node's loss may take a quorum queue's majority");
    }
  }

  private static boolean oneReplicaPerNode(Map<String, Object> affinity) {
    return children(
            child(affinity, "podAntiAffinity"), "requiredDuringSchedulingIgnoredDuringExecution")
        .stream()
        .anyMatch(term -> HOSTNAME.equals(term.get("topologyKey")));
  }
}
