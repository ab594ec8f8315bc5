package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alert rules: one file for Compose's Prometheus, the same groups in the production overlay's
 * PrometheusRule, each rule complete, and each on metrics the library writes.
 */
class AlertRulesTests {

  private static final Path RULES = Suite.ROOT.resolve("deploy/prometheus/alerts.yml");
  private static final Path PROMETHEUS_RULE = Suite.ROOT.resolve("k8s/prod/alerts.yaml");

  /** The library's meters that alerts may name, as Prometheus names them. */
  private static final List<String> LIBRARY_METRICS =
      List.of(
          "messaging_parking_lot_size",
          "messaging_dead_letter_depth",
          "messaging_consumer_lag",
          "messaging_outbox_oldest_age_seconds",
          "messaging_outbox_parked",
          "messaging_consumer_breaker_state",
          "messaging_projection_lag",
          "messaging_projection_writing");

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> groups(Object document) {
    return (List<Map<String, Object>>) ((Map<String, Object>) document).get("groups");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() {
    return groups(Suite.yamlDocuments(Suite.read(RULES)).get(0)).stream()
        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
        .toList();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theProductionRuleHasTheSameGroupsAsComposesFile() {
    Map<String, Object> rule =
        (Map<String, Object>) Suite.yamlDocuments(Suite.read(PROMETHEUS_RULE)).get(0);

    assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
    assertThat(groups(rule.get("spec")))
        .isEqualTo(groups(Suite.yamlDocuments(Suite.read(RULES)).get(0)));
    assertThat(Suite.read(Suite.ROOT.resolve("k8s/prod/kustomization.yaml")))
        .contains("- alerts.yaml");
  }

  @Test
  void composesPrometheusLoadsTheRules() {
    assertThat(Suite.read(Suite.ROOT.resolve("deploy/prometheus/prometheus.yml")))
        .contains("rule_files:")
        .contains("/etc/prometheus/alerts.yml");
    assertThat(Suite.read(Suite.ROOT.resolve("docker-compose.yml")))
        .contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRuleIsCompleteAndNamesOnlyTheLibrarysMetrics() {
    Pattern metric = Pattern.compile("\\b(messaging_[a-z_]+)");
    assertThat(rules()).isNotEmpty();
    for (Map<String, Object> rule : rules()) {
      assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
      assertThat(((Map<String, Object>) rule.get("labels")).get("severity"))
          .as("%s", rule.get("alert"))
          .isIn("warning", "critical");
      assertThat((Map<String, Object>) rule.get("annotations"))
          .containsKeys("summary", "description");
      Matcher names = metric.matcher(rule.get("expr").toString());
      assertThat(names.find()).as("%s names a metric", rule.get("alert")).isTrue();
      do {
        assertThat(LIBRARY_METRICS).as("%s", rule.get("alert")).contains(names.group(1));
      } while (names.find());
    }
  }
}
