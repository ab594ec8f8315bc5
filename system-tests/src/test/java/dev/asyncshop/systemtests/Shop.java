package dev.asyncshop.systemtests;

import static org.awaitility.Awaitility.await;

import dev.asyncshop.testsupport.AuthorizationServerClient;
import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The suite as its clients see it: HTTP and JSON only, with tokens from the authorization server.
 * Orders are placed as customers who logged in through the login form; everything else (following
 * orders, stock, payments, shipments, metrics) is read as the operators' client.
 */
final class Shop {

  static final Set<String> END_STATES = Set.of("SHIPPED", "REJECTED", "CANCELLED");
  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Suite suite;
  private final AuthorizationServerClient authorization;
  private final Customer customer;
  private final AtomicInteger customersTaken = new AtomicInteger(1);
  private volatile String operator;
  private volatile Instant operatorSince = Instant.MIN;

  Shop(Suite suite) {
    this.suite = suite;
    this.authorization = new AuthorizationServerClient(URI.create(suite.issuer()));
    this.customer = logIn(Suite.customer(1));
  }

  /** A customer who logged in, and the Authorization header of their token. */
  record Customer(String name, String authorization) {}

  /** A customer nobody else in this run orders as: their order list is theirs alone. */
  Customer newCustomer() {
    int n = customersTaken.incrementAndGet();
    if (n > Suite.CUSTOMERS) {
      throw new IllegalStateException("Only " + Suite.CUSTOMERS + " customers exist; add more");
    }
    return logIn(Suite.customer(n));
  }

  Customer logIn(String name) {
    return new Customer(name, "Bearer " + authorization.logIn(name, suite.password));
  }

  /** The operators' token; fetched again before it expires (15 minutes). */
  String operator() {
    if (operatorSince.isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
      operator =
          "Bearer " + authorization.clientCredentials(Suite.OPERATIONS_CLIENT, suite.password);
      operatorSince = Instant.now();
    }
    return operator;
  }

  /** The Authorization header of the customer every order is placed as unless a test says. */
  String customer() {
    return customer.authorization();
  }

  /** That customer's user name, the subject of their token. */
  String customerName() {
    return customer.name();
  }

  /** A response with its body parsed when it is JSON. */
  record Response(int status, HttpResponse<String> raw, JsonNode body) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  static Map<String, Object> orderRequest(String sku, int quantity, String cardToken) {
    return Map.of(
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
    return placeOrder(customer, body, idempotencyKey);
  }

  Response placeOrder(Customer as, String body, String idempotencyKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(suite.order.uri("/orders"))
            .header("Authorization", as.authorization())
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

  /** The order, as staff see it: whichever customer placed it. */
  JsonNode order(String id) {
    return get(suite.order.uri("/orders/" + id)).body();
  }

  /** The orders of a customer, as that customer lists them. */
  JsonNode ordersOf(Customer customer) {
    return send(HttpRequest.newBuilder(suite.order.uri("/orders"))
            .header("Authorization", customer.authorization())
            .GET()
            .build())
        .body();
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

  /** A GET as the operators' client. */
  Response get(URI uri) {
    return send(HttpRequest.newBuilder(uri).header("Authorization", operator()).GET().build());
  }

  /** A PUT as the operators' client. */
  Response put(URI uri, Object body) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Authorization", operator())
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

  /**
   * The sum of a meter's series on an instance's Prometheus endpoint whose labels hold every one of
   * {@code labels} (such as {@code transport="kafka"}); zero when it has none.
   */
  double meter(ServiceProcess instance, String name, String... labels) {
    String metrics = get(instance.uri("/actuator/prometheus")).raw().body();
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + "{"))
        .filter(line -> Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * The parked messages of one service's parking lot that match a query ({@code
   * destination=...&reason=...}), each whole, as the operators' client reads them.
   */
  List<JsonNode> parked(ServiceProcess service, String query) {
    Response page = get(service.uri("/ops/dead-letters?size=200&" + query));
    if (page.status() != 200) {
      throw new AssertionError("Parking lot: " + page.status() + " " + page.raw().body());
    }
    List<JsonNode> whole = new ArrayList<>();
    for (JsonNode item : page.body().get("items")) {
      whole.add(get(service.uri("/ops/dead-letters/" + item.get("id").asString())).body());
    }
    return whole;
  }

  /** A POST as the operators' client. */
  Response post(URI uri, @Nullable Object body) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Authorization", operator())
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  Response payment(String orderId) {
    return get(suite.payment.uri("/payments/" + orderId));
  }

  Response shipment(String orderId) {
    return get(suite.shipping.uri("/shipments/" + orderId));
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout().isPresent()
                  ? request
                  : HttpRequest.newBuilder(request, (name, value) -> true)
                      .timeout(Duration.ofSeconds(20))
                      .build(),
              HttpResponse.BodyHandlers.ofString());
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
