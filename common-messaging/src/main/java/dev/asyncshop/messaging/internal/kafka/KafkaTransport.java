package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes events as keyed records; the future completes when every in-sync replica has the record
 * ({@code acks=all}, idempotent producer).
 */
final class KafkaTransport implements OutboundTransport {

  private final KafkaTemplate<String, byte[]> template;
  private final Duration sendTimeout;

  KafkaTransport(KafkaTemplate<String, byte[]> template, Duration sendTimeout) {
    this.template = template;
    this.sendTimeout = sendTimeout;
  }

  @Override
  public Transport transport() {
    return Transport.KAFKA;
  }

  /** Events are always keyed: the partition key, else the subject, else the message id. */
  static String keyOf(Envelope envelope) {
    if (envelope.partitionKey() != null) {
      return envelope.partitionKey();
    }
    return envelope.subject() != null ? envelope.subject() : envelope.id();
  }

  @Override
  public CompletableFuture<Void> send(OutboundMessage message) {
    Envelope envelope = message.envelope();
    String topic = message.route().destination();
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topic, null, keyOf(envelope), message.data(), KafkaEnvelopeHeaders.write(envelope));
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      template
          .send(record)
          .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (result, failure) -> {
                if (failure == null) {
                  sent.complete(null);
                } else {
                  sent.completeExceptionally(
                      new MessagePublishException(
                          "Kafka did not take %s %s on topic '%s': %s"
                              .formatted(envelope.type(), envelope.id(), topic, failure),
                          failure));
                }
              });
    } catch (RuntimeException e) {
      sent.completeExceptionally(
          new MessagePublishException(
              "Kafka did not take %s on topic '%s': %s".formatted(envelope.type(), topic, e), e));
    }
    return sent;
  }
}
