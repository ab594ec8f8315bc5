package dev.asyncshop.messaging.internal.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.asyncapi.fixture.StockService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class AsyncApiDocumentTests {

  static final List<Route> ROUTES =
      routes(
          "stock.reserve.v1 command rabbitmq stock.reserve",
          "stock.reserved.v1 event kafka stock.events",
          "stock.level.v1 query rabbitmq stock.level",
          "order.cancelled.v1 event kafka orders.events",
          "price.quote.v1 query rabbitmq price.quote",
          "stock.changed.v1 broadcast redis stock.changes");

  final Map<String, Object> document =
      AsyncApiDocuments.of("stock-service", ROUTES, StockService.class);

  @Test
  void isAnAsyncApi3DocumentNamedAfterTheService() {
    assertThat(document).containsEntry("asyncapi", "3.0.0");
    assertThat(map(document.get("info"))).containsEntry("title", "stock-service");
  }

  @Test
  void receivesWhatItHandlesAndSendsWhatItConstructs() {
    assertThat(map(document.get("operations")))
        .containsOnlyKeys(
            "receive.stock.reserve.v1",
            "receive.stock.level.v1",
            "receive.order.cancelled.v1",
            "receive.stock.changed.v1",
            "send.stock.reserved.v1",
            "send.price.quote.v1",
            "send.stock.changed.v1");
  }

  @Test
  void eachDestinationIsAChannelWithItsBrokersBinding() {
    Map<String, Object> channels = map(document.get("channels"));

    assertThat(at(channels, "stock.reserve", "bindings", "amqp", "queue"))
        .containsEntry("name", "stock.reserve")
        .containsEntry("durable", true);
    assertThat(at(channels, "stock.events", "bindings", "kafka"))
        .containsEntry("topic", "stock.events");
    assertThat(at(channels, "stock.changes")).containsEntry("x-transport", "redis");
    assertThat(at(channels, "stock.level.reply")).containsEntry("address", null);
  }

  @Test
  void aTopicKeptForeverSaysSoInItsBinding() {
    List<Route> routes =
        ROUTES.stream()
            .map(
                route ->
                    route.destination().equals("orders.events")
                        ? new Route(
                            route.type(),
                            route.kind(),
                            route.transport(),
                            route.destination(),
                            null,
                            route.timeout(),
                            false,
                            false,
                            Route.FOREVER)
                        : route)
            .toList();
    Map<String, Object> channels =
        map(AsyncApiDocuments.of("stock-service", routes, StockService.class).get("channels"));

    assertThat(at(channels, "orders.events", "bindings", "kafka", "topicConfiguration"))
        .containsEntry("retention.ms", -1L);
    assertThat(String.valueOf(at(channels, "orders.events").get("description")))
        .contains("keeps every record forever");
  }

  @Test
  void aKafkaConsumerNamesItsGroup() {
    assertThat(
            at(
                map(document.get("operations")),
                "receive.order.cancelled.v1",
                "bindings",
                "kafka",
                "groupId"))
        .containsEntry("enum", List.of("stock-cancellations"));
  }

  @Test
  void queriesAreAnsweredAndAskedWithTheirReplyType() {
    Map<String, Object> operations = map(document.get("operations"));
    Map<String, Object> schemas = at(document, "components", "schemas");

    assertThat(at(operations, "receive.stock.level.v1", "reply", "channel"))
        .containsEntry("$ref", "#/channels/stock.level.reply");
    assertThat(at(operations, "send.price.quote.v1", "reply", "channel"))
        .containsEntry("$ref", "#/channels/price.quote.reply");
    assertThat(at(schemas, "stock.level.reply.v1", "properties")).containsKeys("sku", "available");
    assertThat(at(schemas, "price.quote.reply.v1", "properties"))
        .containsKeys("amount", "currency");
  }

  @Test
  void messagesCarryTheCloudEventsEnvelopeOfTheirTransport() {
    Map<String, Object> messages = at(document, "components", "messages");

    assertThat(at(messages, "stock.reserved.v1", "headers"))
        .containsEntry("$ref", "#/components/schemas/CloudEventsKafkaHeaders");
    assertThat(at(messages, "stock.reserve.v1", "headers"))
        .containsEntry("$ref", "#/components/schemas/CloudEventsAmqpHeaders");
    assertThat(at(messages, "stock.changed.v1")).doesNotContainKey("headers");
    assertThat(String.valueOf(at(messages, "stock.changed.v1", "payload")))
        .contains("CloudEventsStructured", "#/components/schemas/stock.changed.v1");
    assertThat(at(document, "components", "schemas", "CloudEventsKafkaHeaders", "properties"))
        .containsKeys("ce_id", "ce_type", "ce_source", "ce_correlationid", "content-type");
    assertThat(at(document, "components", "schemas", "CloudEventsAmqpHeaders", "properties"))
        .containsKeys("cloudEvents_id", "cloudEvents_type", "cloudEvents_correlationid");
  }

  @Test
  void theSameServiceAlwaysGivesTheSameText() {
    String again =
        AsyncApiDocuments.toYaml(AsyncApiDocuments.of("stock-service", ROUTES, StockService.class));

    assertThat(AsyncApiDocuments.toYaml(document)).isEqualTo(again).startsWith("asyncapi: 3.0.0");
  }

  /** Bound as from {@code messaging.routes}: type, kind, transport and destination. */
  static List<Route> routes(String... routes) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (int i = 0; i < routes.length; i++) {
      String[] parts = routes[i].split(" ");
      properties.put("messaging.routes[" + i + "].type", parts[0]);
      properties.put("messaging.routes[" + i + "].kind", parts[1]);
      properties.put("messaging.routes[" + i + "].transport", parts[2]);
      properties.put("messaging.routes[" + i + "].destination", parts[3]);
    }
    return new Binder(new MapConfigurationPropertySource(properties))
        .bind("messaging.routes", Bindable.listOf(Route.class))
        .get();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> at(Map<String, Object> node, String... path) {
    Map<String, Object> current = node;
    for (String key : path) {
      current = (Map<String, Object>) current.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }
}
