package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.databind.JsonNode;

/**
 * The operator's side of failure through the services' API, across the running services: an outbox
 * row its broker keeps refusing is parked, and once its destination is back it is replayed and its
 * order ships. (A command spoiled in flight, fixed and replayed, is {@link
 * ConsoleBrowserSystemTests}: the same API, driven from the console in a browser.)
 */
class ParkingLotSystemTests {

  static Suite suite;
  static Shop shop;
  static SpoiledCommands rabbitMq;
  static RabbitAdmin admin;

  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
    rabbitMq = new SpoiledCommands(suite);
    admin = rabbitMq.admin();
  }

  @AfterAll
  static void stop() {
    rabbitMq.close();
  }

  @Test
  void anOutboxRowItsBrokerKeepsRefusingIsParkedAndShipsOnceReplayed() {
    String queue = suite.prefix + "shipping.schedule";
    String exchange = queue + ".exchange";
    // The destination goes away: every send of the order's schedule command is refused.
    admin.deleteExchange(exchange);
    String id;
    JsonNode parked;
    try {
      id = shop.accepted(Shop.orderRequest("SKU-002", 1, "tok_visa"));
      String orderId = id;
      parked =
          await()
              .atMost(Duration.ofSeconds(45))
              .until(
                  () -> shop.parked(suite.order, "reason=UNDELIVERABLE&type=shipping.schedule.v1"),
                  found ->
                      found.stream()
                          .anyMatch(p -> orderId.equals(p.at("/envelope/subject").asString())))
              .stream()
              .filter(p -> orderId.equals(p.at("/envelope/subject").asString()))
              .findFirst()
              .orElseThrow();
    } finally {
      DirectExchange restored = new DirectExchange(exchange, true, false);
      admin.declareExchange(restored);
      admin.declareBinding(
          new Binding(queue, Binding.DestinationType.QUEUE, exchange, queue, Map.of()));
    }
    assertThat(parked.at("/summary/deadLetters").asString()).isEqualTo("outbox");
    assertThat(parked.at("/summary/destination").asString()).isEqualTo(queue);
    assertThat(parked.at("/summary/encrypted").asBoolean()).isTrue();
    assertThat(parked.get("payload").isNull()).isTrue();
    assertThat(shop.order(id).get("status").asString()).isNotEqualTo("SHIPPED");

    Shop.Response replay =
        shop.post(
            suite.order.uri("/ops/dead-letters/" + parked.at("/summary/id").asString() + "/replay"),
            null);
    assertThat(replay.status()).as(replay.raw().body()).isEqualTo(200);
    assertThat(replay.body().get("outcome").asString()).isEqualTo("QUEUED");

    assertThat(shop.awaitEnd(id, OrderSagaSystemTests.END_STATE).get("status").asString())
        .isEqualTo("SHIPPED");
  }
}
