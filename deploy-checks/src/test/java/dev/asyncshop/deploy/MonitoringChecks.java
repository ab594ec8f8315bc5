package dev.asyncshop.deploy;

import static dev.asyncshop.deploy.Workloads.child;
import static dev.asyncshop.deploy.Workloads.children;
import static dev.asyncshop.deploy.Workloads.spec;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether Prometheus, run by its operator, scrapes what the dashboard shows: every service's
 * /actuator/prometheus with a token and under the dashboard's job, Kafka's brokers and RabbitMQ's
 * Prometheus plugin.
 */
final class MonitoringChecks {

  static final String PROMETHEUS_PATH = "/actuator/prometheus";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final ManifestChecks manifests;
  private final String dashboardJob;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param dashboard the Grafana dashboard, whose queries name the services' job ({@code
   *     job="..."})
   */
  MonitoringChecks(ManifestChecks manifests, String dashboard) {
    this.manifests = manifests;
    Matcher job = Pattern.compile("job=\\\\\"([^\\\\\"]+)\\\\\"").matcher(dashboard);
    this.dashboardJob = job.find() ? job.group(1) : null;
  }

  List<String> problems() {
    problems.clear();
    for (Service service : manifests.all(Service.class)) {
      Map<String, String> labels = service.getMetadata().getLabels();
      if (labels != null && "service".equals(labels.get("app.kubernetes.io/component"))) {
        checkServiceScraped(service);
      }
    }
    manifests.custom("Kafka").forEach(this::checkKafkaScraped);
    manifests.custom("RabbitmqCluster").forEach(this::checkRabbitScraped);
    return List.copyOf(problems);
  }

  private void problem(String kind, String name, String what) {
    problems.add(kind + "/" + name + ": " + what);
  }

  private void checkServiceScraped(Service service) {
    String name = service.getMetadata().getName();
    List<GenericKubernetesResource> monitors =
        monitors("ServiceMonitor", service.getMetadata().getLabels());
    if (monitors.isEmpty()) {
      problem("Service", name, "no ServiceMonitor scrapes it");
      return;
    }
    for (GenericKubernetesResource monitor : monitors) {
      String jobLabel = (String) spec(monitor).get("jobLabel");
      String job =
          jobLabel == null ? name : service.getMetadata().getLabels().getOrDefault(jobLabel, name);
      if (dashboardJob != null && !dashboardJob.equals(job)) {
        problem(
            "ServiceMonitor",
            monitor.getMetadata().getName(),
            "the job would be " + job + ", not " + dashboardJob + ", which the dashboard queries");
      }
      for (Map<String, Object> endpoint : children(spec(monitor), "endpoints")) {
        boolean onItsPort =
            service.getSpec().getPorts().stream()
                .map(ServicePort::getName)
                .anyMatch(p -> p != null && p.equals(endpoint.get("port")));
        if (!onItsPort || !PROMETHEUS_PATH.equals(endpoint.get("path"))) {
          problem(
              "ServiceMonitor",
              monitor.getMetadata().getName(),
              "does not scrape " + PROMETHEUS_PATH + " on a port of " + name);
        }
        if (endpoint.get("oauth2") == null && endpoint.get("authorization") == null) {
          problem(
              "ServiceMonitor",
              monitor.getMetadata().getName(),
              "scrapes " + PROMETHEUS_PATH + " of " + name + " without a token: it answers 401");
        }
      }
    }
  }

  private void checkKafkaScraped(GenericKubernetesResource kafka) {
    String name = kafka.getMetadata().getName();
    if (child(spec(kafka), "kafka").get("metricsConfig") == null) {
      problem("Kafka", name, "no metricsConfig: the brokers serve no metrics");
    }
    if (monitors("PodMonitor", Map.of("strimzi.io/cluster", name, "strimzi.io/kind", "Kafka"))
        .isEmpty()) {
      problem("Kafka", name, "no PodMonitor selects its broker pods");
    }
  }

  private void checkRabbitScraped(GenericKubernetesResource rabbit) {
    String name = rabbit.getMetadata().getName();
    boolean scraped =
        monitors(
                "ServiceMonitor",
                Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/component", "rabbitmq"))
            .stream()
            .flatMap(m -> children(spec(m), "endpoints").stream())
            .anyMatch(
                e -> "prometheus-tls".equals(e.get("port")) && "https".equals(e.get("scheme")));
    if (!scraped) {
      problem("RabbitmqCluster", name, "no ServiceMonitor scrapes its Prometheus plugin over TLS");
    }
  }

  private List<GenericKubernetesResource> monitors(String kind, Map<String, String> labels) {
    return manifests.custom(kind).stream()
        .filter(
            m -> {
              LabelSelector selector =
                  SERIALIZATION.convertValue(child(spec(m), "selector"), LabelSelector.class);
              return ManifestChecks.matches(selector, labels);
            })
        .toList();
  }
}
