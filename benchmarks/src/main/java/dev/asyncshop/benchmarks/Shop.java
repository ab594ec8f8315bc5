package dev.asyncshop.benchmarks;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The load generator's view of the shop: HTTP and JSON only, as any client sees it. */
final class Shop {

  static final Set<String> END_STATES = Set.of("SHIPPED", "REJECTED", "CANCELLED");
  static final List<String> SKUS =
      List.of(
          "SKU-001", "SKU-002", "SKU-003", "SKU-004", "SKU-005", "SKU-006", "SKU-007", "SKU-008");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Cuts status streams that outlive their deadline. */
  private static final java.util.concurrent.ScheduledExecutorService TIMER =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "bench-stream-deadline");
            thread.setDaemon(true);
            return thread;
          });

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ServiceProcess order;
  private final ServiceProcess inventory;
  private final BearerTokens tokens;

  Shop(ServiceProcess order, ServiceProcess inventory, BearerTokens tokens) {
    this.order = order;
    this.inventory = inventory;
    this.tokens = tokens;
  }

  /** An order the shop accepted, and when the client sent it. */
  record Placed(String id, Instant postedAt) {}

  /** An order's end: its status, and when it reached it by the service's timeline. */
  record End(String status, Instant at) {}

  static String orderBody() {
    String sku = SKUS.get(ThreadLocalRandom.current().nextInt(SKUS.size()));
    return JSON.writeValueAsString(
        Map.of(
            "items", List.of(Map.of("sku", sku, "quantity", 1)),
            "shippingAddress",
                Map.of(
                    "name", "Ada Lovelace",
                    "street", "Unter den Linden 1",
                    "city", "Berlin",
                    "postalCode", "10117",
                    "country", "DE"),
            "payment", Map.of("cardToken", "tok_visa")));
  }

  private HttpRequest postOrder() {
    return HttpRequest.newBuilder(order.uri("/orders"))
        .header("Authorization", tokens.customer())
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(orderBody()))
        .build();
  }

  /** Places an order; returns its id, or {@code null} when it was not accepted. */
  Placed place() throws IOException, InterruptedException {
    Instant postedAt = Instant.now();
    HttpResponse<String> response = http.send(postOrder(), HttpResponse.BodyHandlers.ofString());
    return accepted(response, postedAt);
  }

  /** Places an order without waiting; completes with the placed order or {@code null}. */
  CompletableFuture<Placed> placeAsync() {
    Instant postedAt = Instant.now();
    return http.sendAsync(postOrder(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> accepted(response, postedAt));
  }

  private static Placed accepted(HttpResponse<String> response, Instant postedAt) {
    if (response.statusCode() != 202) {
      return null;
    }
    String location = response.headers().firstValue("Location").orElse("");
    return new Placed(location.substring(location.lastIndexOf('/') + 1), postedAt);
  }

  /** The order's end state and its time, or {@code null} while it is still under way. */
  End end(String id) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(order.uri("/orders/" + id))
                .header("Authorization", tokens.customer())
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return null;
    }
    JsonNode body = JSON.readTree(response.body());
    String status = body.get("status").asString();
    if (!END_STATES.contains(status)) {
      return null;
    }
    Instant at = null;
    for (JsonNode step : body.get("timeline")) {
      if (status.equals(step.get("status").asString())) {
        at = Instant.parse(step.get("at").asString());
      }
    }
    return new End(status, at != null ? at : Instant.now());
  }

  /**
   * Follows the order's status events ({@code GET /orders/{id}/events}) until it ends, as a client
   * that waits for its order does; {@code null} when the stream ends, breaks or passes the deadline
   * before an end state.
   */
  End follow(String id, Duration deadline) throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(order.uri("/orders/" + id + "/events"))
                .header("Authorization", tokens.customer())
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    java.util.stream.Stream<String> lines = response.body();
    // Closing the body ends the read of a stream whose order never ends.
    java.util.concurrent.ScheduledFuture<?> cut =
        TIMER.schedule(lines::close, deadline.toMillis(), TimeUnit.MILLISECONDS);
    try (lines) {
      if (response.statusCode() != 200) {
        return null;
      }
      java.util.Iterator<String> events = lines.iterator();
      while (events.hasNext()) {
        String line = events.next();
        if (!line.startsWith("data:")) {
          continue;
        }
        JsonNode step = JSON.readTree(line.substring("data:".length()));
        String status = step.get("status").asString();
        if (END_STATES.contains(status)) {
          return new End(status, Instant.parse(step.get("at").asString()));
        }
      }
      return null;
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    } catch (IllegalStateException closed) {
      return null;
    } finally {
      cut.cancel(false);
    }
  }

  void restock(int quantity) throws IOException, InterruptedException {
    for (String sku : SKUS) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(inventory.uri("/products/" + sku + "/stock"))
                  .header("Authorization", tokens.operator())
                  .header("Content-Type", "application/json")
                  .PUT(HttpRequest.BodyPublishers.ofString("{\"quantity\": " + quantity + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "Restocking " + sku + " failed: " + response.statusCode() + " " + response.body());
      }
    }
  }
}
