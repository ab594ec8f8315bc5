package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scale-out and capacity rules on each rendered overlay, and each rule failing on a copy of an
 * overlay broken in one place.
 */
@SuppressWarnings("unchecked")
class ScaleOutChecksTests {

  private static final OperatorVersions README =
      OperatorVersions.fromReadme(Suite.read(Suite.ROOT.resolve("README.md")));

  private static final String DOCKERFILE = Suite.read(Suite.ROOT.resolve("Dockerfile"));

  private static final String DASHBOARD =
      Suite.read(Suite.ROOT.resolve("deploy/grafana/dashboards/messaging.json"));

  private static List<String> problems(
      String overlay, List<Map<String, Object>> documents, OperatorVersions operators) {
    boolean prod = overlay.equals("prod");
    Map<String, ServiceConfig> services = Suite.services();
    ManifestChecks manifests =
        new ManifestChecks(documents, services, MessageContract.read(), prod);
    List<String> problems =
        new ArrayList<>(
            new ScaleOutChecks(manifests, MessageContract.read(), operators).problems());
    problems.addAll(new CapacityChecks(manifests, services, DOCKERFILE).problems());
    problems.addAll(new PlacementChecks(manifests, services, prod).problems());
    if (prod) {
      problems.addAll(new ImageChecks(manifests).problems());
      problems.addAll(new MonitoringChecks(manifests, DASHBOARD).problems());
    }
    return problems;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyOverlayScalesOutWithinItsBrokersAndDatabase(String overlay) {
    assertThat(problems(overlay, KubernetesManifestsTests.rendering(overlay).documents(), README))
        .isEmpty();
  }

  @Test
  void readmeNamesEveryOperatorRelease() {
    assertThat(README.named())
        .containsOnlyKeys(
            OperatorVersions.STRIMZI,
            OperatorVersions.KEDA,
            OperatorVersions.RABBITMQ_CLUSTER,
            OperatorVersions.RABBITMQ_TOPOLOGY,
            OperatorVersions.PROMETHEUS);
  }

  /** The connection budget README's Kubernetes section states, as the prod overlay sets it. */
  @Test
  void prodConnectionBudgetIsTheOneReadmeStates() {
    ManifestChecks prod =
        new ManifestChecks(
            KubernetesManifestsTests.rendering("prod").documents(),
            Suite.services(),
            MessageContract.read(),
            true);
    CapacityChecks capacity = new CapacityChecks(prod, Suite.services(), DOCKERFILE);
    int total = capacity.connections().stream().mapToInt(CapacityChecks.Connections::total).sum();
    String readme = Suite.read(Suite.ROOT.resolve("README.md"));
    for (CapacityChecks.Connections line : capacity.connections()) {
      assertThat(readme)
          .contains(
              "| "
                  + line.service()
                  + " | "
                  + line.pool()
                  + " | "
                  + line.peakPods()
                  + " | "
                  + line.total()
                  + " |");
    }
    assertThat(readme).contains("| total | | | " + total + " |");
  }

  // ---- each rule catches what it claims to

  @Test
  void catchesAReplicationFactorAboveTheBrokerCount() {
    assertCaught(
        "prod",
        named("KafkaNodePool", "dual-role", p -> spec(p).put("replicas", 2)),
        "offsets.topic.replication.factor is 3, but its node pools run 2 broker(s)");
  }

  @Test
  void catchesAMinInSyncReplicasThatRefusesSendsWhenABrokerIsDown() {
    assertCaught(
        "prod",
        named("Kafka", "kafka", k -> config(k).put("min.insync.replicas", 3)),
        "min.insync.replicas 3 with default.replication.factor 3");
    assertCaught(
        "prod",
        named("KafkaTopic", "orders.events", t -> spec(t).put("replicas", 2)),
        "min.insync.replicas 2 with replicas 2");
  }

  @Test
  void catchesFewerPartitionsThanTheConsumersMayScaleTo() {
    assertCaught(
        "prod",
        named("KafkaTopic", "payments.events", t -> spec(t).put("partitions", 3)),
        "KafkaTopic/payments.events: 3 partitions, but order-service (group order-service) scales"
            + " to 6 replicas");
  }

  @Test
  void catchesAnAutoscalerAddressKedaCannotResolve() {
    assertCaught(
        "prod",
        named(
            "ConfigMap",
            "asyncshop-brokers",
            c ->
                ((Map<String, Object>) c.get("data"))
                    .put("KAFKA_BOOTSTRAP_SERVERS", "kafka-kafka-bootstrap:9093")),
        "connects to kafka-kafka-bootstrap, which KEDA resolves in its own namespace");
    assertCaught(
        "prod",
        named(
            "ConfigMap",
            "asyncshop-keda",
            c ->
                ((Map<String, Object>) c.get("data"))
                    .put("rabbitmq-host", "amqps://rabbitmq.other.svc:5671/")),
        "connects to rabbitmq.other.svc");
  }

  @Test
  void catchesAnApiVersionTheNamedOperatorReleaseDoesNotServe() {
    OperatorVersions strimziOne =
        new OperatorVersions(
            Map.of(
                OperatorVersions.STRIMZI, "1.0.0",
                OperatorVersions.KEDA, "2.17.0",
                OperatorVersions.RABBITMQ_CLUSTER, "2.14.0",
                OperatorVersions.RABBITMQ_TOPOLOGY, "1.17.4",
                OperatorVersions.PROMETHEUS, "0.75.0"));
    assertThat(problems("prod", copy("prod"), strimziOne))
        .anySatisfy(
            p -> assertThat(p).contains("kafka.strimzi.io/v1beta2 is not served by Strimzi 1.0.0"));
    assertCaught(
        "prod",
        named(
            "Kafka",
            "kafka",
            k -> ((Map<String, Object>) spec(k).get("kafka")).put("version", "3.9.0")),
        "Kafka 3.9.0 is not supported by Strimzi");
  }

  @Test
  void catchesPoolsThatOutgrowTheDatabase() {
    assertCaught(
        "prod",
        named(
            "ConfigMap",
            "order-service-config",
            c ->
                ((Map<String, Object>) c.get("data"))
                    .put("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "30")),
        "exceed the");
    assertCaught(
        "dev",
        named(
            "StatefulSet",
            "postgres",
            s -> container(s).put("args", List.of("-c", "max_connections=50"))),
        "exceed the 47 PostgreSQL admits");
  }

  @Test
  void catchesAHeapThatDoesNotFitTheMemoryLimit() {
    assertCaught(
        "prod",
        named(
            "Deployment",
            "payment-service",
            d ->
                container(d)
                    .put("env", List.of(Map.of("name", "JAVA_TOOL_OPTIONS", "value", "-Xmx400m")))),
        "Deployment/payment-service: a heap of 400 MiB");
    assertCaught(
        "dev",
        named(
            "Deployment",
            "shipping-service",
            d -> ((Map<String, Object>) container(d).get("resources")).remove("limits")),
        "Deployment/shipping-service: no memory limit");
  }

  @Test
  void catchesAShutdownThatOutlastsTheGracePeriod() {
    assertCaught(
        "dev",
        named(
            "Deployment",
            "inventory-service",
            d -> podSpec(d).put("terminationGracePeriodSeconds", 30)),
        "exceed terminationGracePeriodSeconds 30");
  }

  @Test
  void catchesServicesThatAreNotSpreadOverNodesAndZones() {
    assertCaught(
        "prod",
        named("Deployment", "order-service", d -> podSpec(d).remove("topologySpreadConstraints")),
        "Deployment/order-service: no topology spread over kubernetes.io/hostname");
    assertCaught(
        "prod",
        named(
            "Deployment",
            "payment-service",
            d ->
                ((List<Map<String, Object>>) podSpec(d).get("topologySpreadConstraints"))
                    .get(0)
                    .remove("nodeTaintsPolicy")),
        "counts cordoned nodes");
  }

  @Test
  void catchesABudgetThatBlocksANodeDrain() {
    assertCaught(
        "prod",
        named(
            "PodDisruptionBudget",
            "inventory-service",
            p -> {
              spec(p).remove("maxUnavailable");
              spec(p).put("minAvailable", 2);
            }),
        "allows no eviction of inventory-service at its 2 replica(s)");
    assertCaught(
        "dev",
        named(
            "PodDisruptionBudget",
            "shipping-service",
            p -> spec(p).remove("unhealthyPodEvictionPolicy")),
        "pods that are not ready block a drain");
  }

  @Test
  void catchesBrokersThatAFailureDomainTakesTogether() {
    assertCaught(
        "prod",
        named("Kafka", "kafka", k -> ((Map<String, Object>) spec(k).get("kafka")).remove("rack")),
        "Kafka/kafka: no rack");
    assertCaught(
        "prod",
        named("KafkaNodePool", "dual-role", p -> spec(p).remove("template")),
        "KafkaNodePool/dual-role: no required pod anti-affinity");
    assertCaught(
        "prod",
        named("RabbitmqCluster", "rabbitmq", r -> spec(r).remove("affinity")),
        "RabbitmqCluster/rabbitmq: no required pod anti-affinity");
  }

  @Test
  void catchesReadinessThatASharedBrokerEmpties() {
    assertCaught(
        "prod",
        named(
            "ConfigMap",
            "order-service-config",
            c ->
                ((Map<String, Object>) c.get("data"))
                    .put(
                        "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE",
                        "readinessState,db,kafka")),
        "Deployment/order-service: readiness includes kafka");
  }

  @Test
  void catchesAProdImageWithoutRegistryOrRelease() {
    assertCaught(
        "prod",
        named(
            "Deployment",
            "order-service",
            d -> container(d).put("image", "asyncshop/order-service:0.1.0-SNAPSHOT")),
        "Deployment/order-service: image asyncshop/order-service:0.1.0-SNAPSHOT names no registry");
    assertCaught(
        "prod",
        named(
            "Deployment",
            "payment-service",
            d ->
                container(d)
                    .put("image", "registry.example.com/asyncshop/payment-service:0.1.0-SNAPSHOT")),
        "is neither pinned by digest nor by a release tag");
  }

  @Test
  void catchesServicesAndBrokersThatPrometheusDoesNotScrape() {
    assertCaught(
        "prod",
        named(
            "ServiceMonitor",
            "asyncshop-services",
            m -> ((List<Map<String, Object>>) spec(m).get("endpoints")).get(0).remove("oauth2")),
        "scrapes /actuator/prometheus of order-service without a token");
    assertCaught(
        "prod",
        named("ServiceMonitor", "asyncshop-services", m -> spec(m).remove("jobLabel")),
        "job would be order-service, not asyncshop");
    assertCaught(
        "prod",
        named(
            "ServiceMonitor",
            "asyncshop-services",
            m ->
                spec(m)
                    .put(
                        "selector",
                        Map.of("matchLabels", Map.of("app.kubernetes.io/name", "order-service")))),
        "Service/payment-service: no ServiceMonitor scrapes it");
    assertCaught(
        "prod",
        named(
            "Kafka",
            "kafka",
            k -> ((Map<String, Object>) spec(k).get("kafka")).remove("metricsConfig")),
        "Kafka/kafka: no metricsConfig");
    assertCaught(
        "prod",
        named(
            "PodMonitor",
            "kafka",
            m ->
                spec(m)
                    .put("selector", Map.of("matchLabels", Map.of("strimzi.io/cluster", "other")))),
        "Kafka/kafka: no PodMonitor");
    assertCaught(
        "prod",
        named(
            "ServiceMonitor",
            "rabbitmq",
            m ->
                ((List<Map<String, Object>>) spec(m).get("endpoints"))
                    .get(0)
                    .put("port", "prometheus")),
        "RabbitmqCluster/rabbitmq: no ServiceMonitor scrapes its Prometheus plugin over TLS");
  }

  // ---- fixtures

  private static void assertCaught(
      String overlay, Consumer<List<Map<String, Object>>> breakIt, String expected) {
    List<Map<String, Object>> copy = copy(overlay);
    breakIt.accept(copy);
    assertThat(problems(overlay, copy, README)).anySatisfy(p -> assertThat(p).contains(expected));
  }

  private static List<Map<String, Object>> copy(String overlay) {
    return KubernetesManifestsTests.deepCopy(
        KubernetesManifestsTests.rendering(overlay).documents());
  }

  private static Consumer<List<Map<String, Object>>> named(
      String kind, String name, Consumer<Map<String, Object>> change) {
    return documents ->
        documents.stream()
            .filter(
                d ->
                    kind.equals(d.get("kind"))
                        && name.equals(((Map<?, ?>) d.get("metadata")).get("name")))
            .findFirst()
            .ifPresentOrElse(
                change,
                () -> {
                  throw new IllegalStateException("no " + kind + "/" + name);
                });
  }

  private static Map<String, Object> spec(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("spec");
  }

  private static Map<String, Object> config(Map<String, Object> kafka) {
    return (Map<String, Object>) ((Map<String, Object>) spec(kafka).get("kafka")).get("config");
  }

  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return (Map<String, Object>) ((Map<String, Object>) spec(workload).get("template")).get("spec");
  }

  private static Map<String, Object> container(Map<String, Object> workload) {
    return ((List<Map<String, Object>>) podSpec(workload).get("containers")).get(0);
  }
}
