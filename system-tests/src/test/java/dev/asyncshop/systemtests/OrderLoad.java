package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Orders at a steady rate, whatever the answers: an open loop, as real customers keep arriving
 * while a broker is down. Each order is one unit of one of the {@link #SKUS}, paid with a card that
 * authorizes, so every accepted order can ship. Orders go round-robin to the order-service
 * instances in rotation, as a load balancer sends them only to the instances that are up.
 */
final class OrderLoad implements AutoCloseable {

  static final List<String> SKUS = List.of("SKU-001", "SKU-002", "SKU-003", "SKU-004");

  /**
   * One order placed.
   *
   * @param at when it was sent
   * @param orderId the accepted order's id; none if it was refused
   * @param outcome the HTTP status, or the failure's name when no answer came
   */
  record Attempt(Instant at, String sku, String orderId, String outcome) {

    boolean accepted() {
      return orderId != null;
    }
  }

  private final Shop shop;
  private final List<Shop.Customer> customers;
  private final List<ServiceProcess> rotation;
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService senders = Executors.newFixedThreadPool(64);

  /**
   * @param rotation the order-service instances that take orders; the caller takes an instance out
   *     before it stops it and puts it back once it is ready
   */
  OrderLoad(Shop shop, List<Shop.Customer> customers, List<ServiceProcess> rotation) {
    this.shop = shop;
    this.customers = List.copyOf(customers);
    this.rotation = rotation;
  }

  /** Starts sending, {@code perSecond} orders each second, until {@link #stop()}. */
  void start(double perSecond) {
    long periodMicros = Math.round(1_000_000 / perSecond);
    ticks.scheduleAtFixedRate(
        () -> senders.execute(this::placeOne), 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Stops sending and waits for the answers of the orders sent. */
  void stop() {
    ticks.shutdownNow();
    senders.shutdown();
    try {
      senders.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    senders.shutdownNow();
  }

  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  private void placeOne() {
    long n = sequence.getAndIncrement();
    String sku = SKUS.get((int) (n % SKUS.size()));
    Instant at = Instant.now();
    List<ServiceProcess> up = List.copyOf(rotation);
    if (up.isEmpty()) {
      attempts.add(new Attempt(at, sku, null, "no instance"));
      return;
    }
    ServiceProcess instance = up.get((int) (n % up.size()));
    Shop.Customer customer = customers.get((int) (n % customers.size()));
    URI uri = instance.uri("/orders");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", customer.authorization())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(20))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    Shop.JSON.writeValueAsString(Shop.orderRequest(sku, 1, "tok_visa"))))
            .build();
    try {
      Shop.Response response = shop.send(request);
      attempts.add(
          new Attempt(
              at,
              sku,
              response.status() == 202 ? Shop.idOf(response) : null,
              String.valueOf(response.status())));
    } catch (AssertionError e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      attempts.add(new Attempt(at, sku, null, cause.getClass().getSimpleName()));
    }
  }
}
