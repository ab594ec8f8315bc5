package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.test.Probe;
import dev.asyncshop.messaging.test.TestHandlers;
import dev.asyncshop.messaging.test.TestMessages;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Start-up behaviour of the auto-configuration: what it refuses and when it backs off. No broker is
 * reached; {@link MessagingAutoConfigurationIntegrationTests} has what needs one.
 */
class MessagingAutoConfigurationTests {

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {}

  @Configuration(proxyBeanMethods = false)
  static class WithHandlers {
    @Bean
    Probe probe() {
      return new Probe();
    }

    @Bean
    TestHandlers testHandlers(Probe probe) {
      return new TestHandlers(probe);
    }
  }

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Application.class)
          .withPropertyValues(
              "spring.autoconfigure.exclude="
                  + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
              // Closed ports: these contexts start or are refused without reaching a broker.
              "spring.kafka.bootstrap-servers=127.0.0.1:1",
              "spring.rabbitmq.port=1",
              "spring.data.redis.port=1",
              "spring.kafka.admin.auto-create=false",
              "messaging.service-name=autoconfig-test",
              // SpringApplication turns these on through the library's environment defaults; a
              // bare context runner applies no environment post-processors.
              "spring.rabbitmq.publisher-confirm-type=correlated",
              "spring.rabbitmq.publisher-returns=true");

  private static String[] route(String type, String kind, String transport, String destination) {
    return new String[] {
      "messaging.routes[0].type=" + type,
      "messaging.routes[0].kind=" + kind,
      "messaging.routes[0].transport=" + transport,
      "messaging.routes[0].destination=" + destination
    };
  }

  @Test
  void commandOnRedisPubSubIsRefusedAtStartUp() {
    runner
        .withPropertyValues(route("order.ship.v1", "command", "redis", "ship"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("Route 'order.ship.v1' binds a command to Redis pub/sub")
                    .hasMessageContaining("delivers at most once")
                    .hasMessageContaining("Use rabbitmq for a command"));
  }

  @Test
  void durableEventOnRedisPubSubIsRefusedAtStartUp() {
    runner
        .withPropertyValues(route("order.placed.v1", "event", "redis", "orders"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("binds a event to Redis pub/sub")
                    .hasMessageContaining("Use kafka for a event"));
  }

  @Test
  void routeToAnUnknownTransportIsRefusedAtStartUp() {
    runner
        .withPropertyValues(route("order.placed.v1", "event", "carrier-pigeon", "orders"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessage(
                        "Transport 'carrier-pigeon' does not exist; use one of [kafka, rabbitmq,"
                            + " redis]."));
  }

  /** A read model kept from a topic that drops its oldest records after its retention. */
  @Configuration(proxyBeanMethods = false)
  static class WithProjection {
    @Bean
    SalesPerKey salesPerKey() {
      return new SalesPerKey();
    }
  }

  static class SalesPerKey {
    @HandleMessage(projection = "sales")
    void on(TestMessages.TestEvent event) {}
  }

  @Test
  void aProjectionOfATopicThatDropsItsOldestRecordsIsRefusedAtStartUp() {
    runner
        .withUserConfiguration(WithProjection.class)
        .withPropertyValues(route("test.event.v1", "event", "kafka", "test-events"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("is part of projection 'sales'")
                    .hasMessageContaining("does not keep its records forever")
                    .hasMessageContaining("retention: -1"));
  }

  @Test
  void handlerOfAMessageWithoutRouteIsRefusedAtStartUp() {
    runner
        .withUserConfiguration(WithHandlers.class)
        .withPropertyValues(route("test.event.v1", "event", "kafka", "unused-topic"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("No route for message type 'test.")
                    .hasMessageContaining("add it under messaging.routes"));
  }

  @Test
  void allTransportsPresentGiveOneTransportEachAndLeaveBootsClientsInjectable() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeansOfType(OutboundTransport.class).values())
              .extracting(transport -> transport.transport().id())
              .containsExactlyInAnyOrder("kafka", "rabbitmq", "redis");
          assertThat(context).hasSingleBean(MessageGateway.class);
          assertThat(context.getBeanProvider(RabbitTemplate.class).getIfUnique()).isNotNull();
          assertThat(context.getBeanProvider(StringRedisTemplate.class).getIfUnique()).isNotNull();
          assertThat(context.getBeanProvider(KafkaTemplate.class).getIfUnique()).isNotNull();
        });
  }

  @Test
  void backsOffWhenTheKafkaClientIsAbsent() {
    runner
        .withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(transportNames(context)).containsExactlyInAnyOrder("rabbitmq", "redis");
            });
    runner
        .withClassLoader(new FilteredClassLoader(KafkaTemplate.class))
        .withPropertyValues(route("order.placed.v1", "event", "kafka", "orders"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("uses kafka, but no kafka client is configured")
                    .hasMessageContaining("spring-boot-starter-kafka"));
  }

  @Test
  void aRouteOverATransportSwitchedOffNamesTheSwitch() {
    runner
        .withPropertyValues("messaging.kafka.enabled=false")
        .withPropertyValues(route("order.placed.v1", "event", "kafka", "orders"))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("uses kafka, but no kafka client is configured")
                    .hasMessageContaining("messaging.kafka.enabled"));
  }

  @Test
  void backsOffWhenTheRabbitMqClientIsAbsent() {
    runner
        .withClassLoader(new FilteredClassLoader(RabbitTemplate.class))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(transportNames(context)).containsExactlyInAnyOrder("kafka", "redis");
            });
  }

  @Test
  void backsOffWhenTheRedisClientIsAbsent() {
    runner
        .withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
        .withPropertyValues("messaging.idempotency.store=none")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(transportNames(context)).containsExactlyInAnyOrder("kafka", "rabbitmq");
              assertThat(context).doesNotHaveBean(IdempotencyStore.class);
            });
  }

  @Test
  void publisherConfirmsTurnedOffAreRefusedAtStartUp() {
    runner
        .withPropertyValues("spring.rabbitmq.publisher-confirm-type=none")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("publisher confirms or returns are off"));
  }

  private static List<String> transportNames(
      org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
    return context.getBeansOfType(OutboundTransport.class).values().stream()
        .map(transport -> transport.transport().id())
        .toList();
  }
}
