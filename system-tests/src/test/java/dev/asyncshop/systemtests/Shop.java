package dev.asyncshop.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The suite as a client sees it: HTTP and JSON only. */
final class Shop {

  static final Set<String> END_STATES = Set.of("SHIPPED", "REJECTED", "CANCELLED");
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Suite suite;

  Shop(Suite suite) {
    this.suite = suite;
  }

  /** A response with its body parsed when it is JSON. */
  record Response(int status, HttpResponse<String> raw, JsonNode body) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  static Map<String, Object> orderRequest(String sku, int quantity, String cardToken) {
    return Map.of(
        "customerId", "customer-" + UUID.randomUUID().toString().substring(0, 6),
        "items", List.of(Map.of("sku", sku, "quantity", quantity)),
        "shippingAddress",
            Map.of(
                "name", "Ada Lovelace",
                "street", "Unter den Linden 1",
                "city", "Berlin",
                "postalCode", "10117",
                "country", "DE"),
        "payment", Map.of("cardToken", cardToken));
  }

  Response placeOrder(Object body) {
    return placeOrder(JSON.writeValueAsString(body), null);
  }

  Response placeOrder(String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(suite.order.uri("/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  /** Places an order that must be accepted and returns its id. */
  String accepted(Object body) {
    Response response = placeOrder(body);
    if (response.status() != 202) {
      throw new AssertionError(
          "Order not accepted: " + response.status() + " " + response.raw().body());
    }
    return idOf(response);
  }

  static String idOf(Response accepted) {
    String location = accepted.header("Location");
    return location.substring(location.lastIndexOf('/') + 1);
  }

  JsonNode order(String id) {
    return get(suite.order.uri("/orders/" + id)).body();
  }

  String status(String id) {
    return order(id).get("status").asString();
  }

  /** Waits until the order reaches an end state and returns it. */
  JsonNode awaitEnd(String id, Duration timeout) {
    AtomicReference<JsonNode> last = new AtomicReference<>();
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last.set(order(id));
              return END_STATES.contains(last.get().get("status").asString());
            });
    return last.get();
  }

  Response get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET().build());
  }

  Response put(URI uri, Object body) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  Response product(String sku) {
    return get(suite.inventory.uri("/products/" + sku));
  }

  void setStock(String sku, int quantity) {
    Response response =
        put(suite.inventory.uri("/products/" + sku + "/stock"), Map.of("quantity", quantity));
    if (response.status() / 100 != 2) {
      throw new AssertionError(
          "Restock failed: " + response.status() + " " + response.raw().body());
    }
  }

  int stock(String sku) {
    return product(sku).body().get("stock").asInt();
  }

  Response payment(String orderId) {
    return get(suite.payment.uri("/payments/" + orderId));
  }

  Response shipment(String orderId) {
    return get(suite.shipping.uri("/shipments/" + orderId));
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      JsonNode body =
          contentType.contains("json") && !response.body().isEmpty()
              ? JSON.readTree(response.body())
              : null;
      return new Response(response.statusCode(), response, body);
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }
}
