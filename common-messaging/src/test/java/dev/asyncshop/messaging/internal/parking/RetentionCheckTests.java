package dev.asyncshop.messaging.internal.parking;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.InvalidRouteException;
import dev.asyncshop.messaging.internal.RouteTable;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RetentionCheckTests {

  private static MessagingProperties bind(Map<String, String> settings) {
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("messaging", MessagingProperties.class);
  }

  private static RouteTable kafkaRoutes(MessagingProperties properties) {
    return new RouteTable(properties.routes(), "", EnumSet.of(Transport.KAFKA, Transport.RABBITMQ));
  }

  private static final Map<String, String> KAFKA_ROUTE =
      Map.of(
          "messaging.routes[0].type", "order.placed.v1",
          "messaging.routes[0].kind", "event",
          "messaging.routes[0].destination", "orders.events");

  @Test
  void theDefaultsFitTogether() {
    MessagingProperties properties = bind(KAFKA_ROUTE);

    assertThatCode(() -> RetentionCheck.require(properties, kafkaRoutes(properties)))
        .doesNotThrowAnyException();
  }

  @Test
  void aReplayWindowAsLongAsTheIdempotencyMemoryIsRefused() {
    MessagingProperties properties = bind(Map.of("messaging.parking-lot.replayable-for", "7d"));

    assertThatThrownBy(() -> RetentionCheck.require(properties, kafkaRoutes(properties)))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessageContaining("messaging.parking-lot.replayable-for (PT168H)")
        .hasMessageContaining("messaging.idempotency.retention (PT168H)");
  }

  @Test
  void withoutAnIdempotencyStoreThereIsNothingToOutlast() {
    MessagingProperties properties =
        bind(
            Map.of(
                "messaging.parking-lot.replayable-for", "30d",
                "messaging.kafka.dead-letter-retention", "30d",
                "messaging.idempotency.store", "none"));

    assertThatCode(() -> RetentionCheck.require(properties, kafkaRoutes(properties)))
        .doesNotThrowAnyException();
  }

  @Test
  void aKafkaDeadLetterRetentionShorterThanTheReplayWindowIsRefusedWhereKafkaIsUsed() {
    Map<String, String> settings = new java.util.HashMap<>(KAFKA_ROUTE);
    settings.put("messaging.kafka.dead-letter-retention", "1d");
    MessagingProperties properties = bind(settings);

    assertThatThrownBy(() -> RetentionCheck.require(properties, kafkaRoutes(properties)))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessageContaining("messaging.kafka.dead-letter-retention (PT24H)");
    MessagingProperties noKafka = bind(Map.of("messaging.kafka.dead-letter-retention", "1d"));
    assertThatCode(
            () ->
                RetentionCheck.require(
                    noKafka, new RouteTable(List.of(), "", EnumSet.allOf(Transport.class))))
        .doesNotThrowAnyException();
  }
}
