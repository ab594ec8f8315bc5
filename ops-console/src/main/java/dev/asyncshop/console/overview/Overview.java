package dev.asyncshop.console.overview;

import dev.asyncshop.console.services.ServiceProblem;
import dev.asyncshop.console.services.Services;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * Reads each service's {@code /actuator/health} and {@code /actuator/prometheus} with the
 * operator's token (OPS sees the health components and may read the metrics).
 */
@Component
class Overview {

  static final String PARKED = "messaging_parking_lot_size";
  static final String QUEUE_DEPTH = "messaging_queue_depth";
  static final String CONSUMER_LAG = "messaging_consumer_lag";
  static final String OUTBOX_BACKLOG = "messaging_outbox_backlog";
  static final String OUTBOX_PARKED = "messaging_outbox_parked";

  private final Services services;

  Overview(Services services) {
    this.services = services;
  }

  List<ServiceStatus> read() {
    List<ServiceStatus> statuses = new ArrayList<>();
    for (String service : services.names()) {
      statuses.add(read(service));
    }
    return statuses;
  }

  private ServiceStatus read(String service) {
    List<String> problems = new ArrayList<>();
    String health = null;
    Map<String, String> components = new LinkedHashMap<>();
    try {
      JsonNode body = services.call(service, client -> health(service, client, services));
      health = text(body.get("status"));
      JsonNode parts = body.get("components");
      if (parts != null) {
        for (Map.Entry<String, JsonNode> part : parts.properties()) {
          String status = text(part.getValue().get("status"));
          components.put(part.getKey(), status == null ? "?" : status);
        }
      }
    } catch (ServiceProblem e) {
      problems.add("Health: " + e.words());
    }
    PrometheusText metrics = null;
    try {
      metrics =
          PrometheusText.parse(
              services.call(
                  service,
                  client ->
                      client
                          .get()
                          .uri("/actuator/prometheus")
                          .accept(MediaType.TEXT_PLAIN)
                          .retrieve()
                          .body(String.class)));
    } catch (ServiceProblem e) {
      problems.add("Metrics: " + e.words());
    }
    return new ServiceStatus(
        service,
        services.url(service),
        health,
        components,
        sum(metrics, PARKED),
        sum(metrics, QUEUE_DEPTH),
        sum(metrics, CONSUMER_LAG),
        sum(metrics, OUTBOX_BACKLOG),
        sum(metrics, OUTBOX_PARKED),
        problems);
  }

  /** A service that is down answers 503, and its body says which component is. */
  private static JsonNode health(String service, RestClient client, Services services) {
    return client
        .get()
        .uri("/actuator/health")
        .exchange(
            (request, response) -> {
              int status = response.getStatusCode().value();
              if (status != 200 && status != 503) {
                throw services.refusal(service, response);
              }
              JsonNode body = response.bodyTo(JsonNode.class);
              if (body == null) {
                throw new ServiceProblem(service, status, null, "Health not readable", null);
              }
              return body;
            });
  }

  private static OptionalDouble sum(@Nullable PrometheusText metrics, String name) {
    return metrics == null ? OptionalDouble.empty() : metrics.sum(name);
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : node.asString();
  }
}
