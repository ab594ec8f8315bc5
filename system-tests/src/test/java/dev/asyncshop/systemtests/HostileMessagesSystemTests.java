package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.KafkaTopics;
import dev.asyncshop.testsupport.ServiceProcess;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Poison, as a process that reaches the brokers could send it, on every queue, topic and channel
 * the four services consume: each piece is dead-lettered beside its destination with reason {@code
 * POISON}, and the services keep consuming (the saga runs afterwards).
 */
class HostileMessagesSystemTests {

  /** Every queue the services consume (their AsyncAPI documents, docs/asyncapi). */
  static final List<String> QUEUES =
      List.of(
          "inventory.reserve",
          "inventory.release",
          "payment.authorize",
          "payment.refund",
          "shipping.schedule",
          "shipping.quote");

  /** Every topic a service consumes. */
  static final List<String> TOPICS =
      List.of(
          "inventory.events",
          "payments.events",
          "shipping.events",
          // order-service's local tables: read by every instance from the start, poison included,
          // which each start dead-letters again.
          "inventory.products",
          "shipping.tariff");

  /** Every channel a service subscribes to. */
  static final List<String> CHANNELS = List.of("orders.status");

  static Suite suite;
  static Shop shop;

  @BeforeAll
  static void start() {
    suite = Suite.get();
    shop = new Shop(suite);
  }

  @Test
  void poisonOnEveryQueueGoesToItsDeadLettersAsPoison() {
    String marker = TestNames.unique("poison");
    Endpoint rabbitMq = Brokers.rabbitMq();
    CachingConnectionFactory connections =
        new CachingConnectionFactory(rabbitMq.host(), rabbitMq.port());
    connections.setUsername(rabbitMq.username());
    connections.setPassword(rabbitMq.password());
    try {
      RabbitTemplate rabbit = new RabbitTemplate(connections);
      for (String queue : QUEUES) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        rabbit.send(
            suite.prefix + queue + ".exchange",
            suite.prefix + queue,
            new Message((marker + " {not json").getBytes(StandardCharsets.UTF_8), properties));
      }
      for (String queue : QUEUES) {
        assertParkedAsPoison(consumerOf(queue), suite.prefix + queue, marker);
      }
    } finally {
      connections.destroy();
    }
  }

  @Test
  void poisonOnEveryConsumedTopicGoesToItsDeadLetterTopicAsPoison() {
    String marker = TestNames.unique("poison");
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      for (String topic : TOPICS) {
        producer.send(
            new ProducerRecord<>(
                suite.prefix + topic,
                UUID.randomUUID().toString(),
                (marker + " {not json").getBytes(StandardCharsets.UTF_8)));
      }
    }
    for (String topic : TOPICS) {
      var deadLetter =
          KafkaTopics.awaitRecord(
              suite.prefix + topic + ".dlt",
              r -> new String(r.value(), StandardCharsets.UTF_8).startsWith(marker),
              Duration.ofSeconds(30));
      assertThat(KafkaTopics.header(deadLetter, DeadLetterHeaders.REASON))
          .as(topic)
          .isEqualTo("POISON");
    }
  }

  @Test
  void poisonOnEveryChannelGoesToItsDeadLetterStreamAsPoison() {
    String marker = TestNames.unique("poison");
    Endpoint endpoint = Brokers.redis();
    RedisStandaloneConfiguration configuration =
        new RedisStandaloneConfiguration(endpoint.host(), endpoint.port());
    if (endpoint.password() != null && !endpoint.password().isEmpty()) {
      configuration.setPassword(endpoint.password());
    }
    LettuceConnectionFactory connections = new LettuceConnectionFactory(configuration);
    connections.afterPropertiesSet();
    connections.start();
    try {
      StringRedisTemplate redis = new StringRedisTemplate(connections);
      for (String channel : CHANNELS) {
        redis.convertAndSend(suite.prefix + channel, marker + " {not json");
      }
      for (String channel : CHANNELS) {
        // Taken from the stream into order-service's parking lot.
        assertParkedAsPoison(suite.order, suite.prefix + channel, marker);
      }
    } finally {
      connections.destroy();
    }
  }

  @Test
  void theSagaStillRunsAfterThePoison() {
    String id = shop.accepted(Shop.orderRequest("SKU-002", 1, "tok_visa"));

    assertThat(shop.awaitEnd(id, OrderSagaSystemTests.END_STATE).get("status").asString())
        .isEqualTo("SHIPPED");
  }

  /** The service that consumes a queue: the first word of its name. */
  private static ServiceProcess consumerOf(String queue) {
    return switch (queue.substring(0, queue.indexOf('.'))) {
      case "inventory" -> suite.inventory;
      case "payment" -> suite.payment;
      case "shipping" -> suite.shipping;
      default -> throw new IllegalArgumentException(queue);
    };
  }

  /** The consumer's parking lot soon holds the poison, taken from the broker's dead letters. */
  private static void assertParkedAsPoison(
      ServiceProcess consumer, String destination, String marker) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(shop.parked(consumer, "reason=POISON&destination=" + destination))
                    .as(destination)
                    .anySatisfy(
                        parked -> {
                          assertThat(parked.get("payload").asString()).startsWith(marker);
                          assertThat(parked.at("/headers/" + DeadLetterHeaders.REASON).asString())
                              .isEqualTo("POISON");
                        }));
  }
}
