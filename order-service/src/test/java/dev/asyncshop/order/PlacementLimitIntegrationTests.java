package dev.asyncshop.order;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An instance at its limit of placements under way refuses the next one at once, with a 503 that
 * says when to come back, and stores nothing; the refused order goes through once a place is free.
 */
class PlacementLimitIntegrationTests extends OrderServiceIntegrationSupport {

  @DynamicPropertySource
  static void onePlacementAtATime(DynamicPropertyRegistry registry) {
    registry.add("order.placement.max-in-flight", () -> "1");
    registry.add("order.placement.retry-after-seconds", () -> "2");
  }

  @Test
  void placementBeyondTheLimitIsRefusedWithRetryAfterAndStoresNothing() throws Exception {
    queries.slowAnswer = new CountDownLatch(1);
    queries.slowAsked = new CountDownLatch(1);
    String customer = customer();
    CompletableFuture<HttpResponse<String>> held =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                    .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
                    .header(HttpHeaders.AUTHORIZATION, asCustomer(customer()))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            orderBody("MUG", 1, "TEE", 1, StandIns.SLOW_COUNTRY)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    try {
      assertThat(queries.slowAsked.await(WAIT.toSeconds(), SECONDS))
          .as("the first placement is asking for a quote")
          .isTrue();

      http.post()
          .uri("/orders")
          .header(HttpHeaders.AUTHORIZATION, asCustomer(customer))
          .contentType(MediaType.APPLICATION_JSON)
          .body(orderBody())
          .exchange()
          .expectStatus()
          .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
          .expectHeader()
          .valueEquals("Retry-After", "2")
          .expectHeader()
          .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody()
          .jsonPath("$.status")
          .isEqualTo(503)
          .jsonPath("$.title")
          .isEqualTo("Too many orders being placed");
      assertThat(ordersOf(customer)).isZero();
    } finally {
      queries.slowAnswer.countDown();
    }
    // Quoted, or on a machine slow enough for its query to time out first (3 s), priced from the
    // published tariff: either way the first order is placed and its place is free again.
    assertThat(held.get(WAIT.toSeconds(), SECONDS).statusCode()).isEqualTo(202);

    place(customer);
    assertThat(ordersOf(customer)).isEqualTo(1);
  }
}
