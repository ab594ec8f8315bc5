package dev.asyncshop.systemtests;

import static dev.asyncshop.systemtests.Shop.orderRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees of the running suite. One order, one trace: the services export their spans
 * to a real Zipkin server, and the trace of a shipped order, read back from Zipkin's HTTP API,
 * holds every service and every hop between them, each span's parent present, from the HTTP request
 * down to the last broadcast. And the dashboard reads only meters the services expose.
 */
class ObservabilitySystemTests {

  static final Set<String> SERVICES =
      Set.of("order-service", "inventory-service", "payment-service", "shipping-service");

  static Suite suite;
  static Shop shop;

  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
  }

  // No stop here: the suite goes on to the next system test class, which stops it.

  @Test
  void aShippedOrderIsOneTraceAcrossEveryServiceAndBroker() {
    String id = shop.accepted(orderRequest("SKU-001", 1, "tok_visa"));
    assertThat(shop.awaitEnd(id, OrderSagaSystemTests.END_STATE).get("status").asString())
        .isEqualTo("SHIPPED");

    String traceId =
        await().atMost(Duration.ofSeconds(30)).until(() -> traceOf(id), t -> t != null);
    // Each service exports its spans in batches of its own: the trace is whole only once the last
    // batch arrived, so it is read again until it is.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<JsonNode> spans = new ArrayList<>();
              suite.zipkin.trace(traceId).forEach(spans::add);
              assertWholeTrace(spans);
            });
  }

  private static void assertWholeTrace(List<JsonNode> spans) {
    assertThat(serviceNames(spans)).containsAll(SERVICES);
    assertThat(consumersOf(spans, "shipping.events")).isNotEmpty();
    assertThat(consumersOf(spans, "orders.status")).isNotEmpty();
    Map<String, JsonNode> byId = new HashMap<>();
    spans.forEach(span -> byId.put(span.get("id").asString(), span));
    List<JsonNode> roots = spans.stream().filter(span -> !span.has("parentId")).toList();
    assertThat(roots).as("one root span").hasSize(1);
    JsonNode request = roots.get(0);
    assertThat(request.get("kind").asString()).isEqualTo("SERVER");
    assertThat(request.get("localEndpoint").get("serviceName").asString())
        .isEqualTo("order-service");
    for (JsonNode span : spans) {
      if (span.has("parentId")) {
        assertThat(byId)
            .as("parent of %s %s", span.get("localEndpoint"), span.get("name"))
            .containsKey(span.get("parentId").asString());
      }
    }

    // Each broker hop: a consumer span whose parent is the producer span of the same message.
    for (String broker : List.of("rabbitmq", "kafka", "redis")) {
      List<JsonNode> consumers =
          spans.stream()
              .filter(span -> "CONSUMER".equals(text(span, "kind")))
              .filter(span -> broker.equals(tag(span, "messaging.system")))
              .toList();
      assertThat(consumers).as("consumer spans over %s", broker).isNotEmpty();
      for (JsonNode consumer : consumers) {
        JsonNode producer = byId.get(consumer.get("parentId").asString());
        assertThat(text(producer, "kind")).isEqualTo("PRODUCER");
        assertThat(tag(producer, "messaging.message.id"))
            .isEqualTo(tag(consumer, "messaging.message.id"));
      }
    }

    // The outbox hop: the relay sends the reserve command on a thread of its own, yet its span is
    // a child of the request that wrote the row, and the payment command's the child of the
    // consumer span of the event whose handler wrote it.
    JsonNode reserve = producerOf(spans, "inventory.reserve");
    assertThat(reserve.get("parentId").asString()).isEqualTo(request.get("id").asString());
    JsonNode authorize = producerOf(spans, "payment.authorize");
    JsonNode writer = byId.get(authorize.get("parentId").asString());
    assertThat(text(writer, "kind")).isEqualTo("CONSUMER");
    assertThat(tag(writer, "messaging.destination.name")).endsWith("inventory.events");
  }

  /**
   * The dashboard's meters that common-messaging does not declare (JVM, process, Kafka client; the
   * library's own are checked against its source by deploy-checks, and some exist only once a
   * message was retried or dead-lettered) are all exposed by the running services.
   */
  @Test
  void theDashboardReadsOnlyMetersTheServicesExpose() throws IOException {
    shop.accepted(orderRequest("SKU-001", 1, "tok_visa"));
    JsonNode dashboard =
        Shop.JSON.readTree(
            Files.readString(Path.of("..", "deploy", "grafana", "dashboards", "messaging.json")));
    Set<String> asked = new TreeSet<>();
    Matcher metric = Pattern.compile("\\b([a-z][a-z0-9_]*)\\{").matcher("");
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        metric.reset(target.path("expr").asString());
        while (metric.find()) {
          if (!metric.group(1).startsWith("messaging_")) {
            asked.add(baseName(metric.group(1)));
          }
        }
      }
    }
    assertThat(asked).contains("jvm_memory_used_bytes", "kafka_consumer_fetch_manager_fetch_rate");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Set<String> exposed = new TreeSet<>();
              for (var service : suite.all()) {
                shop.get(service.uri("/actuator/prometheus"))
                    .raw()
                    .body()
                    .lines()
                    .filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0])
                    .map(ObservabilitySystemTests::baseName)
                    .forEach(exposed::add);
              }
              assertThat(exposed).containsAll(asked);
            });
  }

  /** A meter's name without the suffix of one of its series. */
  private static String baseName(String series) {
    return series.replaceFirst("_(bucket|sum|count|max)$", "");
  }

  /** The id of the trace in which a message about the order was sent, or {@code null}. */
  private static String traceOf(String orderId) {
    String query =
        "/api/v2/traces?limit=1&lookback=3600000&annotationQuery="
            + URLEncoder.encode("cloudevents.event_subject=" + orderId, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(suite.zipkin.uri(query)).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode traces = Shop.JSON.readTree(response.body());
      return traces.isEmpty() ? null : traces.get(0).get(0).get("traceId").asString();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  private static Set<String> serviceNames(List<JsonNode> spans) {
    return spans.stream()
        .map(span -> span.get("localEndpoint").get("serviceName").asString())
        .collect(Collectors.toSet());
  }

  private static List<JsonNode> consumersOf(List<JsonNode> spans, String destination) {
    return spans.stream()
        .filter(span -> "CONSUMER".equals(text(span, "kind")))
        .filter(span -> destinationIs(span, destination))
        .toList();
  }

  private static JsonNode producerOf(List<JsonNode> spans, String destination) {
    return spans.stream()
        .filter(span -> "PRODUCER".equals(text(span, "kind")))
        .filter(span -> destinationIs(span, destination))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No producer span for " + destination));
  }

  /** Destinations carry the run's prefix. */
  private static boolean destinationIs(JsonNode span, String destination) {
    String name = tag(span, "messaging.destination.name");
    return name != null && name.endsWith(destination);
  }

  private static String text(JsonNode span, String field) {
    return span.has(field) ? span.get(field).asString() : null;
  }

  private static String tag(JsonNode span, String name) {
    JsonNode tags = span.get("tags");
    return tags != null && tags.has(name) ? tags.get(name).asString() : null;
  }
}
