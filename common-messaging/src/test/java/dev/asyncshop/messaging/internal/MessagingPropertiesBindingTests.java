package dev.asyncshop.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Idempotency.Store;
import dev.asyncshop.messaging.MessagingProperties.RabbitMq.QueueType;
import dev.asyncshop.messaging.Transport;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.format.support.FormattingConversionService;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * {@code messaging.*} as services write it today binds to the enums, and transports follow kinds.
 */
class MessagingPropertiesBindingTests {

  private static MessagingProperties bind(Map<String, String> properties) {
    FormattingConversionService conversions = new ApplicationConversionService();
    conversions.addConverter(MessagingAutoConfiguration.messagingTransportConverter());
    List<ConfigurationPropertySource> sources =
        List.of(new MapConfigurationPropertySource(properties));
    return new Binder(sources, null, conversions)
        .bindOrCreate("messaging", Bindable.of(MessagingProperties.class));
  }

  /** Routes as {@code "type kind destination"}, without a transport. */
  private static Map<String, String> routes(String... routes) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (int i = 0; i < routes.length; i++) {
      String[] route = routes[i].split(" ");
      properties.put("messaging.routes[" + i + "].type", route[0]);
      properties.put("messaging.routes[" + i + "].kind", route[1]);
      properties.put("messaging.routes[" + i + "].destination", route[2]);
    }
    return properties;
  }

  @Test
  void todaysLowerCaseValuesBindToTheEnums() {
    MessagingProperties properties =
        bind(
            Map.of(
                "messaging.routes[0].type", "order.placed.v1",
                "messaging.routes[0].kind", "event",
                "messaging.routes[0].transport", "kafka",
                "messaging.routes[0].destination", "orders.events",
                "messaging.idempotency.store", "jdbc",
                "messaging.rabbitmq.queue-type", "quorum"));

    assertThat(properties.routes().get(0).transport()).isEqualTo(Transport.KAFKA);
    assertThat(properties.idempotency().store()).isEqualTo(Store.JDBC);
    assertThat(properties.rabbitmq().queueType()).isEqualTo(QueueType.QUORUM);
  }

  @Test
  void theDefaultsAreRedisAndClassicQueues() {
    MessagingProperties properties = bind(Map.of());

    assertThat(properties.idempotency().store()).isEqualTo(Store.REDIS);
    assertThat(properties.rabbitmq().queueType()).isEqualTo(QueueType.CLASSIC);
    assertThat(properties.kafka().enabled()).isTrue();
    assertThat(properties.rabbitmq().enabled()).isTrue();
    assertThat(properties.redis().enabled()).isTrue();
  }

  @Test
  void connectionFailuresMeanADependencyIsDownUnlessTheServiceSaysOtherwise() {
    assertThat(bind(Map.of()).retry().unavailable())
        .containsExactly(
            DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class,
            TransientDataAccessResourceException.class,
            ConnectException.class);

    Map<String, String> properties = routes("order.placed.v1 event orders.events");
    properties.put("messaging.retry.unavailable", "java.net.SocketTimeoutException");
    properties.put("messaging.routes[0].retry.max-retries", "5");
    MessagingProperties bound = bind(properties);

    assertThat(bound.retry().unavailable()).containsExactly(SocketTimeoutException.class);
    assertThat(bound.routes().get(0).retry().unavailable())
        .as("a route's own retry settings start from the defaults")
        .contains(DataAccessResourceFailureException.class);
  }

  @Test
  void aRouteWithoutTransportTakesTheTransportOfItsKind() {
    MessagingProperties properties =
        bind(
            routes(
                "order.placed.v1 event orders.events",
                "inventory.reserve.v1 command inventory.reserve",
                "shipping.quote.v1 query shipping.quote",
                "stock.changed.v1 broadcast stock.changes"));

    assertThat(properties.routes())
        .extracting(MessagingProperties.Route::transport)
        .containsExactly(Transport.KAFKA, Transport.RABBITMQ, Transport.RABBITMQ, Transport.REDIS);
  }

  @Test
  void aRouteTravelsInTheClearUnlessItSaysEncrypt() {
    Map<String, String> properties =
        routes(
            "payment.authorize.v1 command payment.authorize",
            "payment.refund.v1 command payment.refund");
    properties.put("messaging.routes[0].encrypt", "true");

    assertThat(bind(properties).routes())
        .extracting(MessagingProperties.Route::encrypt)
        .containsExactly(true, false);
    assertThat(bind(properties).routes().get(0).reply().encrypt()).isFalse();
  }

  @Test
  void aRetentionOfMinusOneKeepsTheTopicForeverAsKafkaSpellsIt() {
    Map<String, String> properties =
        routes(
            "order.placed.v1 event orders.events",
            "order.paid.v1 event orders.events",
            "inventory.reserved.v1 event inventory.events",
            "payment.authorized.v1 event payments.events");
    properties.put("messaging.routes[0].retention", "-1");
    properties.put("messaging.routes[1].retention", "-1s");
    properties.put("messaging.routes[2].retention", "30d");

    List<MessagingProperties.Route> routes = bind(properties).routes();

    assertThat(routes)
        .extracting(MessagingProperties.Route::retention)
        .containsExactly(
            MessagingProperties.Route.FOREVER,
            MessagingProperties.Route.FOREVER,
            java.time.Duration.ofDays(30),
            null);
    assertThat(routes)
        .extracting(MessagingProperties.Route::keptForever)
        .containsExactly(true, true, false, false);
    assertThat(routes.get(0).retention().toMillis()).isEqualTo(-1);
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheOnesThatExist() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "messaging.routes[0].type", "order.placed.v1",
                        "messaging.routes[0].kind", "event",
                        "messaging.routes[0].transport", "carrier-pigeon",
                        "messaging.routes[0].destination", "orders.events")))
        .hasMessageContaining("messaging.routes[0].transport")
        .rootCause()
        .hasMessage(
            "Transport 'carrier-pigeon' does not exist; use one of [kafka, rabbitmq, redis].");
  }

  @Test
  void aQuerysReplyTypeHasReplyBeforeItsVersion() {
    assertThat(MessagingProperties.Route.replyTypeOf("shipping.quote.v1"))
        .isEqualTo("shipping.quote.reply.v1");
    assertThat(MessagingProperties.Route.replyTypeOf("inventory.catalogue.v12"))
        .isEqualTo("inventory.catalogue.reply.v12");
    assertThat(MessagingProperties.Route.replyTypeOf("unversioned.question"))
        .isEqualTo("unversioned.question.reply");
    assertThat(MessagingProperties.Route.replyTypeOf("odd.version.vx"))
        .isEqualTo("odd.version.vx.reply");
  }

  @Test
  void aReplyRouteFollowsItsQuery() {
    MessagingProperties.Route query =
        new MessagingProperties.Route(
            "shipping.quote.v1", MessageKind.QUERY, null, "shipping.quote", null, null);

    MessagingProperties.Route reply = query.reply();

    assertThat(reply.type()).isEqualTo("shipping.quote.reply.v1");
    assertThat(reply.kind()).isEqualTo(MessageKind.REPLY);
    assertThat(reply.transport()).isEqualTo(Transport.RABBITMQ);
    assertThat(reply.destination()).isEqualTo("shipping.quote");
  }
}
