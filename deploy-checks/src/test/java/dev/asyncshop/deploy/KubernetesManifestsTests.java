package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay of {@code k8s/} and checks every manifest as typed Kubernetes objects
 * against the services' own configuration and their AsyncAPI documents ({@code docs/asyncapi/}). No
 * cluster is needed: what the API server, the operators and KEDA would add or refuse at apply time
 * is not covered.
 */
class KubernetesManifestsTests {

  private static final Path K8S = Suite.ROOT.resolve("k8s");

  private static final Map<String, Kustomize.Rendering> RENDERINGS = new HashMap<>();

  static synchronized Kustomize.Rendering rendering(String overlay) {
    return RENDERINGS.computeIfAbsent(overlay, o -> Kustomize.render(K8S.resolve(o)));
  }

  private static ManifestChecks checks(String overlay, List<Map<String, Object>> documents) {
    return new ManifestChecks(
        documents, Suite.services(), MessageContract.read(), overlay.equals("prod"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyManifestOfTheOverlayPassesEveryCheck(String overlay) {
    Kustomize.Rendering rendering = rendering(overlay);
    System.out.printf(
        "k8s/%s: %d manifests rendered by %s%n",
        overlay, rendering.documents().size(), rendering.renderer());
    assertThat(checks(overlay, rendering.documents()).problems()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyServiceHasItsDeploymentServiceBudgetAndOneAutoscaler(String overlay) {
    Map<String, Set<String>> kindsByName = new LinkedHashMap<>();
    for (Map<String, Object> document : rendering(overlay).documents()) {
      String name = String.valueOf(((Map<?, ?>) document.get("metadata")).get("name"));
      kindsByName
          .computeIfAbsent(name, n -> new TreeSet<>())
          .add(String.valueOf(document.get("kind")));
    }
    String autoscaler = overlay.equals("dev") ? "HorizontalPodAutoscaler" : "ScaledObject";
    for (String service : Suite.services().keySet()) {
      assertThat(kindsByName.get(service))
          .as(service + " in k8s/" + overlay)
          .contains("Deployment", "Service", "PodDisruptionBudget", autoscaler);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theConsoleRunsWhereTheServicesRun(String overlay) {
    ManifestChecks checks = checks(overlay, rendering(overlay).documents());
    assertThat(checks.consoleDeployments())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getMetadata().getName()).isEqualTo("ops-console");
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .contains("asyncshop/ops-console");
            });
    Set<String> kinds = new TreeSet<>();
    for (Map<String, Object> document : rendering(overlay).documents()) {
      if ("ops-console".equals(((Map<?, ?>) document.get("metadata")).get("name"))) {
        kinds.add(String.valueOf(document.get("kind")));
      }
    }
    assertThat(kinds).contains("Deployment", "Service", "PodDisruptionBudget");
    if (overlay.equals("prod")) {
      assertThat(kinds).contains("NetworkPolicy", "KafkaUser");
    }
  }

  /** kubectl is the real renderer; where it exists, the stand-in must agree with it exactly. */
  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theInTestRendererAgreesWithKubectl(String overlay) {
    List<Map<String, Object>> fallback = Kustomize.withFallback(K8S.resolve(overlay));
    assertThat(fallback).isNotEmpty();
    var kubectl = Kustomize.withKubectl(K8S.resolve(overlay));
    if (kubectl.isEmpty()) {
      System.out.println(
          "kubectl is not on PATH: the in-test renderer of k8s/"
              + overlay
              + " is not compared; the checks use it");
      assertThat(checks(overlay, fallback).problems()).isEmpty();
      return;
    }
    assertThat(byIdentity(fallback)).isEqualTo(byIdentity(kubectl.get()));
  }

  private static Map<String, Map<String, Object>> byIdentity(List<Map<String, Object>> documents) {
    Map<String, Map<String, Object>> identified = new HashMap<>();
    for (Map<String, Object> document : documents) {
      Map<?, ?> metadata = (Map<?, ?>) document.get("metadata");
      identified.put(
          document.get("kind") + "/" + metadata.get("namespace") + "/" + metadata.get("name"),
          document);
    }
    assertThat(identified).hasSameSizeAs(documents);
    return identified;
  }

  @Test
  void devIsSelfContainedAndProdTakesNoSecretFromGit() {
    ManifestChecks dev = checks("dev", rendering("dev").documents());
    assertThat(dev.all(Secret.class)).isNotEmpty();
    assertThat(dev.custom("ScaledObject")).isEmpty();
    ManifestChecks prod = checks("prod", rendering("prod").documents());
    assertThat(prod.all(Secret.class)).isEmpty();
    assertThat(prod.custom("RabbitmqCluster")).hasSize(1);
    assertThat(prod.custom("Kafka")).hasSize(1);
    assertThat(prod.custom("KafkaNodePool")).isNotEmpty();
  }

  @Test
  void prodRestrictsTheNetworkOfEveryService() {
    ManifestChecks prod = checks("prod", rendering("prod").documents());
    Set<String> selected =
        prod.all(NetworkPolicy.class).stream()
            .map(p -> p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
            .collect(Collectors.toSet());
    assertThat(selected).containsAll(Suite.services().keySet()).contains("ops-console");
  }

  @Test
  void theDatabasesOfTheManifestsAreThoseTheInitScriptCreates() {
    Set<String> created =
        createdDatabases(Suite.read(Suite.ROOT.resolve("deploy/postgres/init-databases.sql")));
    ManifestChecks dev = checks("dev", rendering("dev").documents());
    Set<String> devInit = new TreeSet<>();
    dev.all(ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals("postgres-init"))
        .forEach(c -> c.getData().values().forEach(sql -> devInit.addAll(createdDatabases(sql))));
    assertThat(devInit).isEqualTo(created);
    for (String overlay : List.of("dev", "prod")) {
      Set<String> used = new TreeSet<>();
      checks(overlay, rendering(overlay).documents()).all(ConfigMap.class).stream()
          .map(c -> c.getData() == null ? null : c.getData().get("SPRING_DATASOURCE_URL"))
          .filter(url -> url != null)
          .forEach(url -> used.add(url.replaceFirst("\\?.*$", "").replaceFirst("^.*/", "")));
      assertThat(used).as("databases of k8s/" + overlay).isEqualTo(created);
    }
  }

  static Set<String> createdDatabases(String sql) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = Pattern.compile("(?i)create\\s+database\\s+(\\w+)").matcher(sql);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  // ---- the checks catch what they claim to: each breaks one thing in a copy of dev or prod

  @Test
  void catchesAnUnknownField() {
    assertCaught(
        "dev",
        deployment("order-service", d -> container(d).put("readinesProbe", Map.of())),
        "unknown field(s) [readinesProbe]");
  }

  @Test
  void catchesAProbeOnAnotherPathOrPort() {
    assertCaught(
        "dev",
        deployment(
            "payment-service", d -> httpGet(container(d), "livenessProbe").put("path", "/health")),
        "livenessProbe asks /health");
    assertCaught(
        "dev",
        deployment(
            "payment-service", d -> httpGet(container(d), "readinessProbe").put("port", 8080)),
        "readinessProbe asks port 8080");
  }

  @Test
  void catchesAContainerThatMayRunAsRoot() {
    assertCaught(
        "dev",
        deployment("shipping-service", d -> securityContext(container(d)).put("runAsUser", 0)),
        "runAsUser is 0");
    assertCaught(
        "dev",
        deployment(
            "shipping-service",
            d -> {
              securityContext(container(d)).remove("runAsNonRoot");
              podSecurityContext(d).remove("runAsNonRoot");
            }),
        "runAsNonRoot is not true");
    assertCaught(
        "dev",
        deployment(
            "shipping-service",
            d -> securityContext(container(d)).remove("readOnlyRootFilesystem")),
        "root filesystem is writable");
  }

  @Test
  void catchesMissingResources() {
    assertCaught(
        "dev",
        deployment(
            "inventory-service",
            d -> ((Map<String, Object>) container(d).get("resources")).remove("limits")),
        "no memory limit");
  }

  @Test
  void catchesSelectorsAndTargetsThatMatchNothing() {
    assertCaught(
        "dev",
        named(
            "Service",
            "order-service",
            s ->
                ((Map<String, Object>) s.get("spec"))
                    .put("selector", Map.of("app.kubernetes.io/name", "orders"))),
        "matches no pod template");
    assertCaught(
        "dev",
        named(
            "PodDisruptionBudget",
            "order-service",
            p ->
                ((Map<String, Object>) p.get("spec"))
                    .put("selector", Map.of("matchLabels", Map.of("app", "order")))),
        "matches no pod template");
    assertCaught(
        "dev",
        named(
            "HorizontalPodAutoscaler",
            "order-service",
            h ->
                ((Map<String, Object>) ((Map<String, Object>) h.get("spec")).get("scaleTargetRef"))
                    .put("name", "orders")),
        "scales Deployment/orders");
    assertCaught(
        "prod",
        named(
            "ScaledObject",
            "payment-service",
            s ->
                ((Map<String, Object>) ((Map<String, Object>) s.get("spec")).get("scaleTargetRef"))
                    .put("name", "payments")),
        "scales Deployment/payments");
  }

  @Test
  void catchesAScaledObjectThatWatchesAnotherQueue() {
    assertCaught(
        "prod",
        named(
            "ScaledObject",
            "payment-service",
            s -> {
              List<Map<String, Object>> triggers =
                  (List<Map<String, Object>>) ((Map<String, Object>) s.get("spec")).get("triggers");
              ((Map<String, Object>) triggers.get(0).get("metadata"))
                  .put("queueName", "payments.authorize");
            }),
        "watches queues [payment.refund, payments.authorize]");
  }

  @Test
  void catchesAnIngressToAnInternalServiceFromAnywhere() {
    assertCaught(
        "prod",
        named(
            "NetworkPolicy",
            "inventory-service",
            p -> {
              List<Map<String, Object>> ingress =
                  (List<Map<String, Object>>) ((Map<String, Object>) p.get("spec")).get("ingress");
              ingress.get(0).remove("from");
            }),
        "admits anyone to inventory-service");
  }

  @Test
  @SuppressWarnings("unchecked")
  void catchesAServiceThatShutsOutTheConsoleOrAConsoleThatReachesTooFar() {
    assertCaught(
        "prod",
        named(
            "NetworkPolicy",
            "payment-service",
            p -> {
              List<Map<String, Object>> ingress =
                  (List<Map<String, Object>>) ((Map<String, Object>) p.get("spec")).get("ingress");
              ((List<Map<String, Object>>) ingress.get(0).get("from"))
                  .removeIf(peer -> peer.containsKey("podSelector"));
            }),
        "does not admit ops-console to payment-service");
    assertCaught(
        "prod",
        named(
            "NetworkPolicy",
            "ops-console",
            p -> {
              List<Map<String, Object>> egress =
                  (List<Map<String, Object>>) ((Map<String, Object>) p.get("spec")).get("egress");
              egress.add(
                  new LinkedHashMap<>(
                      Map.of(
                          "to",
                          List.of(Map.of("ipBlock", Map.of("cidr", "10.10.0.0/24"))),
                          "ports",
                          List.of(Map.of("port", 5433, "protocol", "TCP")))));
            }),
        "lets ops-console reach ports");
    assertCaught(
        "dev",
        deployment("ops-console", d -> httpGet(container(d), "livenessProbe").put("port", 8081)),
        "Deployment/ops-console: container app: livenessProbe asks port 8081");
  }

  private static void assertCaught(
      String overlay, Consumer<List<Map<String, Object>>> breakIt, String expected) {
    List<Map<String, Object>> copy = deepCopy(rendering(overlay).documents());
    breakIt.accept(copy);
    assertThat(checks(overlay, copy).problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  private static Consumer<List<Map<String, Object>>> deployment(
      String name, Consumer<Map<String, Object>> change) {
    return named("Deployment", name, change);
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

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSpec(Map<String, Object> deployment) {
    return (Map<String, Object>)
        ((Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template"))
            .get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> deployment) {
    return ((List<Map<String, Object>>) podSpec(deployment).get("containers")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSecurityContext(Map<String, Object> deployment) {
    return (Map<String, Object>) podSpec(deployment).get("securityContext");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> securityContext(Map<String, Object> container) {
    return (Map<String, Object>) container.get("securityContext");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
    return (Map<String, Object>) ((Map<String, Object>) container.get(probe)).get("httpGet");
  }

  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, deepCopy(v)));
      return (T) copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return value;
  }

  @Test
  void everyServiceDeploymentRunsTheServiceImage() {
    for (Deployment deployment : checks("dev", rendering("dev").documents()).serviceDeployments()) {
      String name = deployment.getMetadata().getName();
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .startsWith("asyncshop/" + name + ":");
    }
  }
}
