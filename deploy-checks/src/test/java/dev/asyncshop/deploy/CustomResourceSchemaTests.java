package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every custom resource of both overlays against the CRD that its operator's named release (README,
 * Kubernetes section) installs, so a misspelled or mistyped field fails here and not at apply time.
 */
class CustomResourceSchemaTests {

  private static final CrdSchemas CRDS = CrdSchemas.load();

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyCustomResourceOfTheOverlayMatchesItsOperatorsCrd(String overlay) {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> document : customResources(overlay)) {
      problems.addAll(CRDS.problems(document));
    }
    assertThat(problems).isEmpty();
  }

  /**
   * A release README names with CRDs of another release kept would check against the wrong schema.
   */
  @Test
  void theKeptCrdsAreThoseOfTheReleasesReadmeNames() throws IOException {
    Map<String, String> named =
        OperatorVersions.fromReadme(Suite.read(Suite.ROOT.resolve("README.md"))).named();
    Map<String, String> expected = new TreeMap<>();
    expected.put("strimzi-" + named.get(OperatorVersions.STRIMZI), OperatorVersions.STRIMZI);
    try (Stream<Path> folders = Files.list(CrdSchemas.DIRECTORY)) {
      assertThat(folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()))
          .as("folders of %s (refresh them as its README says)", CrdSchemas.DIRECTORY)
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
    }
  }

  /**
   * Strimzi's resources are checked against its CRDs; those of the operators that publish theirs in
   * no reachable package are named here, so a resource of any other operator cannot slip by.
   */
  @Test
  void theProductionOverlaysCustomResourcesAreCheckedOrKnownUnpublished() {
    TreeSet<String> checked = new TreeSet<>();
    TreeSet<String> unpublished = new TreeSet<>();
    customResources("prod")
        .forEach(
            document ->
                (CrdSchemas.hasPublishedCrd(document) ? checked : unpublished)
                    .add(String.valueOf(document.get("kind"))));
    assertThat(checked)
        .containsExactlyInAnyOrder("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser");
    assertThat(unpublished)
        .containsExactlyInAnyOrder(
            "ScaledObject",
            "TriggerAuthentication",
            "RabbitmqCluster",
            "User",
            "Permission",
            "ServiceMonitor",
            "PodMonitor",
            "PrometheusRule");
  }

  @Test
  void aMisspelledFieldWhereTheCrdKnowsEveryFieldIsRefused() {
    Map<String, Object> topic = copyOf("KafkaTopic");
    spec(topic).put("partitons", 12);

    assertThat(CRDS.problems(topic)).singleElement().asString().contains("partitons");
  }

  /** Guards the rewriting of the schemas: no kind of the overlay lets an unknown field through. */
  @Test
  void everyKindOfTheProductionOverlayRefusesAnUnknownFieldInItsSpec() {
    Map<String, List<String>> problemsByKind = new LinkedHashMap<>();
    for (Map<String, Object> document : customResources("prod")) {
      if (!CrdSchemas.hasPublishedCrd(document)) {
        continue;
      }
      Map<String, Object> broken = copy(document);
      spec(broken).put("unknownField", 1);
      problemsByKind.put(String.valueOf(broken.get("kind")), CRDS.problems(broken));
    }
    assertThat(problemsByKind)
        .hasSize(4)
        .allSatisfy(
            (kind, problems) ->
                assertThat(problems).as(kind).singleElement().asString().contains("unknownField"));
  }

  @Test
  void aFieldOfTheWrongTypeIsRefused() {
    Map<String, Object> topic = copyOf("KafkaTopic");
    spec(topic).put("partitions", "twelve");

    assertThat(CRDS.problems(topic))
        .singleElement()
        .asString()
        .contains("/spec/partitions", "integer");
  }

  @Test
  void anyKeyIsAcceptedWhereTheCrdPreservesUnknownFields() {
    Map<String, Object> topic = copyOf("KafkaTopic");
    spec(topic).put("config", Map.of("any.broker.setting", "value"));

    assertThat(CRDS.problems(topic)).isEmpty();
  }

  @Test
  void anIntOrStringAcceptsAnIntegerAndAStringAndNothingElse() {
    Map<String, Object> pool = copyOf("KafkaNodePool");
    Map<String, Object> limits = new LinkedHashMap<>();
    spec(pool).put("resources", Map.of("limits", limits));

    limits.put("cpu", 2);
    assertThat(CRDS.problems(pool)).isEmpty();
    limits.put("cpu", "500m");
    assertThat(CRDS.problems(pool)).isEmpty();
    limits.put("cpu", true);
    assertThat(CRDS.problems(pool))
        .isNotEmpty()
        .allSatisfy(problem -> assertThat(problem).contains("/spec/resources/limits/cpu"));
  }

  @Test
  void anApiVersionWithoutAKeptCrdIsReported() {
    Map<String, Object> topic = copyOf("KafkaTopic");
    topic.put("apiVersion", "kafka.strimzi.io/v1beta3");

    assertThat(CRDS.problems(topic))
        .singleElement()
        .asString()
        .contains("no CRD", "kafka.strimzi.io/v1beta3 KafkaTopic");
  }

  private static List<Map<String, Object>> customResources(String overlay) {
    return KubernetesManifestsTests.rendering(overlay).documents().stream()
        .filter(CrdSchemas::isCustom)
        .toList();
  }

  /**
   * A deep copy of the first production resource of a kind, to break without touching the cache.
   */
  private static Map<String, Object> copyOf(String kind) {
    return copy(
        customResources("prod").stream()
            .filter(document -> kind.equals(document.get("kind")))
            .findFirst()
            .orElseThrow());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> copy(Map<String, Object> resource) {
    return (Map<String, Object>) deepCopy(resource);
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      return new ArrayList<>(list.stream().map(CustomResourceSchemaTests::deepCopy).toList());
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("spec");
  }
}
