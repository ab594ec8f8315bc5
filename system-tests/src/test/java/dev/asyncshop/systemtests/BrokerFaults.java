package dev.asyncshop.systemtests;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.internal.encryption.PayloadEncryptions;
import dev.asyncshop.messaging.internal.signing.CanonicalForm;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.KafkaTopics;
import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * What clients cannot do but brokers do: deliver a command again, or carry one that a process with
 * access to the broker forged. Used only to prove that a redelivered command changes nothing and a
 * forged one is never obeyed; everything else in the system tests goes through HTTP.
 */
final class BrokerFaults {

  private BrokerFaults() {}

  /**
   * Puts a second {@code payment.authorize.v1} for the order on payment-service's queue, encrypted
   * under the payment key and signed by order-service's key as the first one was.
   */
  static void redeliverAuthorize(Suite suite, String orderId, BigDecimal amount) {
    PayloadEncryptions.Encrypted encrypted =
        PayloadEncryptions.encrypt(
            authorizeEnvelope("/asyncshop/order-service"),
            authorizeBody(orderId, amount),
            Suite.encryptionKeyId("payment"),
            Suite.encryptionKey("payment"));
    Envelope envelope =
        encrypted.envelope().withExtension("signaturekeyid", Suite.signingKeyId("order"));
    byte[] body = encrypted.ciphertext();
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(suite.signingKeys.get("order").getPrivate());
      signer.update(CanonicalForm.of(envelope, body));
      envelope =
          envelope.withExtension("signature", Base64.getEncoder().encodeToString(signer.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    sendToPayment(suite, envelope, body);
  }

  /**
   * Puts a {@code payment.authorize.v1} on payment-service's queue that nobody signed, as any
   * process reaching RabbitMQ could.
   */
  static void forgeAuthorize(Suite suite, String orderId, BigDecimal amount) {
    sendToPayment(
        suite, authorizeEnvelope("/asyncshop/order-service"), authorizeBody(orderId, amount));
  }

  private static Envelope authorizeEnvelope(String source) {
    String id = UUID.randomUUID().toString();
    return new Envelope(
        id,
        source,
        "payment.authorize.v1",
        Instant.now(),
        null,
        Envelope.JSON,
        id,
        null,
        null,
        null);
  }

  private static byte[] authorizeBody(String orderId, BigDecimal amount) {
    return Shop.JSON.writeValueAsBytes(
        Map.of(
            "orderId", orderId,
            "customerId", "redelivery",
            "amount", amount,
            "currency", "EUR",
            "cardToken", "tok_visa"));
  }

  private static void sendToPayment(Suite suite, Envelope envelope, byte[] body) {
    Endpoint rabbitMq = Brokers.rabbitMq();
    CachingConnectionFactory connectionFactory =
        new CachingConnectionFactory(rabbitMq.host(), rabbitMq.port());
    connectionFactory.setUsername(rabbitMq.username());
    connectionFactory.setPassword(rabbitMq.password());
    try {
      MessageProperties properties = new MessageProperties();
      properties.setContentType(envelope.dataContentType());
      CloudEventAttributes.of(envelope)
          .forEach(
              (name, value) -> {
                if (!name.equals(CloudEventAttributes.DATACONTENTTYPE)) {
                  properties.setHeader("cloudEvents_" + name, value);
                }
              });
      new RabbitTemplate(connectionFactory)
          .send("", suite.prefix + "payment.authorize", new Message(body, properties));
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
