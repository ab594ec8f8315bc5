package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.signing.CanonicalForm;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator's side of failure, across the running services: a command spoiled in flight lands in
 * its consumer's parking lot, is fixed there and replayed, and its order ships, with the replay's
 * lineage in the audit trail; an outbox row its broker keeps refusing is parked, and once its
 * destination is back it is replayed and its order ships.
 */
class ParkingLotSystemTests {

  static Suite suite;
  static Shop shop;
  static CachingConnectionFactory connections;
  static RabbitAdmin admin;

  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
    Endpoint rabbitMq = Brokers.rabbitMq();
    connections = new CachingConnectionFactory(rabbitMq.host(), rabbitMq.port());
    connections.setUsername(rabbitMq.username());
    connections.setPassword(rabbitMq.password());
    admin = new RabbitAdmin(connections);
  }

  @AfterAll
  static void stop() {
    connections.destroy();
  }

  @Test
  void aCommandSpoiledInFlightIsFixedInTheParkingLotAndItsOrderShips() {
    String queue = suite.prefix + "inventory.reserve";
    intercept(queue);
    String id;
    Message reserve;
    try {
      id = shop.accepted(Shop.orderRequest("SKU-002", 1, "tok_visa"));
      reserve = awaitIntercepted(queue);
    } finally {
      restore(queue);
    }
    String original = new String(reserve.getBody(), StandardCharsets.UTF_8);
    ObjectNode spoiled = (ObjectNode) Shop.JSON.readTree(original);
    spoiled.put("lines", "two of SKU-002, as a faulty sender wrote it");
    resend(queue, reserve, Shop.JSON.writeValueAsBytes(spoiled));

    String orderId = id;
    JsonNode parked =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> shop.parked(suite.inventory, "reason=POISON&destination=" + queue),
                found ->
                    found.stream().anyMatch(p -> p.get("payload").asString().contains(orderId)))
            .stream()
            .filter(p -> p.get("payload").asString().contains(orderId))
            .findFirst()
            .orElseThrow();
    String parkedId = parked.at("/summary/id").asString();
    assertThat(parked.at("/summary/exceptionMessage").asString()).isNotBlank();

    Shop.Response edit =
        shop.send(
            java.net.http.HttpRequest.newBuilder(
                    suite.inventory.uri("/ops/dead-letters/" + parkedId + "/payload"))
                .header("Authorization", shop.operator())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(original))
                .build());
    assertThat(edit.status()).as(edit.raw().body()).isEqualTo(200);
    Shop.Response replay =
        shop.post(suite.inventory.uri("/ops/dead-letters/" + parkedId + "/replay"), null);
    assertThat(replay.status()).as(replay.raw().body()).isEqualTo(200);
    assertThat(replay.body().get("outcome").asString()).isEqualTo("HANDLED");

    assertThat(shop.awaitEnd(orderId, OrderSagaSystemTests.END_STATE).get("status").asString())
        .isEqualTo("SHIPPED");
    String correlationId = parked.at("/summary/correlationId").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(AuditTopic.recordsOf(correlationId))
                    .anySatisfy(
                        record -> {
                          assertThat(record.get("outcome").asString()).isEqualTo("REPLAYED");
                          assertThat(record.get("replayOf").asString()).isEqualTo(parkedId);
                          assertThat(record.get("principal").asString())
                              .isEqualTo(Suite.OPERATIONS_CLIENT);
                        })
                    .anySatisfy(
                        record -> {
                          assertThat(record.get("outcome").asString()).isEqualTo("EDITED");
                          assertThat(record.get("replayOf").asString()).isEqualTo(parkedId);
                        })
                    .anySatisfy(
                        record -> {
                          assertThat(record.get("outcome").asString()).isEqualTo("HANDLED");
                          assertThat(record.get("service").asString())
                              .isEqualTo("inventory-service");
                          assertThat(record.get("replayOf").asString()).isEqualTo(parkedId);
                        }));
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

  /**
   * Sends what reaches a queue's exchange to a queue of the test instead, so the service never sees
   * it.
   */
  private static void intercept(String queue) {
    Queue diverted = new Queue(queue + ".intercepted", false, false, true);
    admin.declareQueue(diverted);
    admin.declareBinding(
        BindingBuilder.bind(diverted).to(new DirectExchange(queue + ".exchange")).with(queue));
    admin.removeBinding(
        new Binding(queue, Binding.DestinationType.QUEUE, queue + ".exchange", queue, Map.of()));
  }

  private static Message awaitIntercepted(String queue) {
    RabbitTemplate rabbit = new RabbitTemplate(connections);
    Message message = rabbit.receive(queue + ".intercepted", Duration.ofSeconds(20).toMillis());
    assertThat(message).as("the command to " + queue).isNotNull();
    return message;
  }

  private static void restore(String queue) {
    admin.declareBinding(
        new Binding(queue, Binding.DestinationType.QUEUE, queue + ".exchange", queue, Map.of()));
    admin.deleteQueue(queue + ".intercepted");
  }

  /**
   * Puts a command back on its queue with another payload, signed again with its sender's key, as a
   * sender with a bug would have sent it: its signature holds, its payload does not read.
   */
  private static void resend(String queue, Message original, byte[] payload) {
    Map<String, Object> headers = original.getMessageProperties().getHeaders();
    String prefix = "cloudEvents_";
    Envelope envelope =
        CloudEventAttributes.toEnvelope(
            name ->
                name.equals(CloudEventAttributes.DATACONTENTTYPE)
                    ? original.getMessageProperties().getContentType()
                    : headers.get(prefix + name) == null
                        ? null
                        : headers.get(prefix + name).toString(),
            headers.keySet().stream()
                .filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length()))
                .toList());
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(suite.signingKeys.get("order").getPrivate());
      signer.update(CanonicalForm.of(envelope.withoutExtension("signature"), payload));
      original
          .getMessageProperties()
          .setHeader(prefix + "signature", Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    new RabbitTemplate(connections)
        .send(queue + ".exchange", queue, new Message(payload, original.getMessageProperties()));
  }
}
