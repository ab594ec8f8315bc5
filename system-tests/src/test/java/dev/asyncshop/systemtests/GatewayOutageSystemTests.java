package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dependency of a handler goes down: payment-service's card gateway. Its consumer's circuit
 * breaker opens and the authorize commands wait in their queue, none dead-lettered; when the
 * gateway is back the breaker closes and every waiting order ships.
 */
class GatewayOutageSystemTests {

  static Suite suite;
  static Shop shop;

  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
  }

  @Test
  void ordersWaitBehindAnOpenBreakerWhileTheGatewayIsDownAndShipWhenItIsBack() {
    String queue = suite.prefix + "payment.authorize";
    String destination = "destination=\"" + queue + "\"";
    int parkedBefore = shop.parked(suite.payment, "destination=" + queue).size();
    double deadLetteredBefore =
        shop.meter(suite.payment, "messaging_dead_lettered_total", destination);
    List<String> orders;
    setGateway(1.0);
    try {
      orders =
          IntStream.range(0, 3)
              .mapToObj(n -> shop.accepted(Shop.orderRequest("SKU-002", 1, "tok_visa")))
              .toList();
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> shop.meter(suite.payment, "messaging_consumer_breaker_state", destination),
              state -> state == 2.0);
      for (String order : orders) {
        assertThat(shop.order(order).get("status").asString()).isNotIn(Shop.END_STATES);
      }
    } finally {
      setGateway(0.0);
    }

    for (String order : orders) {
      assertThat(shop.awaitEnd(order, OrderSagaSystemTests.END_STATE).get("status").asString())
          .as(order)
          .isEqualTo("SHIPPED");
    }
    assertThat(shop.meter(suite.payment, "messaging_consumer_breaker_state", destination)).isZero();
    assertThat(shop.meter(suite.payment, "messaging_dead_lettered_total", destination))
        .isEqualTo(deadLetteredBefore);
    assertThat(shop.parked(suite.payment, "destination=" + queue)).hasSize(parkedBefore);
    assertThat(
            shop.meter(
                suite.payment,
                "messaging_consumer_breaker_transitions_total",
                destination,
                "to=\"open\""))
        .isPositive();
  }

  private static void setGateway(double failureRate) {
    Shop.Response response =
        shop.put(suite.payment.uri("/ops/gateway"), Map.of("failureRate", failureRate));
    assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
  }
}
