package dev.asyncshop.systemtests;

import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.KafkaTopics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * What clients cannot do but brokers do: deliver a command again. Used only to prove that a
 * redelivered command changes nothing; everything else in the system tests goes through HTTP.
 */
final class BrokerFaults {

  private BrokerFaults() {}

  /** Puts a second {@code payment.authorize.v1} for the order on payment-service's queue. */
  static void redeliverAuthorize(Suite suite, String orderId, BigDecimal amount) {
    Endpoint rabbitMq = Brokers.rabbitMq();
    CachingConnectionFactory connectionFactory =
        new CachingConnectionFactory(rabbitMq.host(), rabbitMq.port());
    connectionFactory.setUsername(rabbitMq.username());
    connectionFactory.setPassword(rabbitMq.password());
    try {
      MessageProperties properties = new MessageProperties();
      properties.setContentType("application/json");
      properties.setHeader("cloudEvents_specversion", "1.0");
      properties.setHeader("cloudEvents_id", UUID.randomUUID().toString());
      properties.setHeader("cloudEvents_source", "/system-tests");
      properties.setHeader("cloudEvents_type", "payment.authorize.v1");
      properties.setHeader("cloudEvents_time", Instant.now().toString());
      String body =
          Shop.JSON.writeValueAsString(
              Map.of(
                  "orderId", orderId,
                  "customerId", "redelivery",
                  "amount", amount,
                  "currency", "EUR",
                  "cardToken", "tok_visa"));
      new RabbitTemplate(connectionFactory)
          .send(
              "",
              suite.prefix + "payment.authorize",
              new Message(body.getBytes(StandardCharsets.UTF_8), properties));
    } finally {
      connectionFactory.destroy();
    }
  }

  /** Counts the events of a type about one order on a topic, from its beginning. */
  static long eventsFor(String topic, String orderId, String type) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(KafkaTopics.consumerConfig())) {
      consumer.subscribe(List.of(topic));
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int emptyPolls = 0;
      while (System.nanoTime() < deadline && emptyPolls < 5) {
        var records = consumer.poll(Duration.ofMillis(300));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (ConsumerRecord<String, byte[]> record : records) {
          if (orderId.equals(record.key()) && type.equals(KafkaTopics.header(record, "ce_type"))) {
            count++;
          }
        }
      }
      return count;
    }
  }
}
