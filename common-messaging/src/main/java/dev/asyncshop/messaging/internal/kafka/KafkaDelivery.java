package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.internal.DeadLetterException;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * A consumed record; dead letters go to {@code <topic>.dlt}, or {@code <topic>.security.dlt},
 * through spring-kafka's recoverer.
 */
final class KafkaDelivery implements InboundDelivery {

  private final ConsumerRecord<String, byte[]> record;
  private final DeadLetterPublishingRecoverer recoverer;

  KafkaDelivery(ConsumerRecord<String, byte[]> record, DeadLetterPublishingRecoverer recoverer) {
    this.record = record;
    this.recoverer = recoverer;
  }

  @Override
  public DecodedMessage decode() {
    if (record.value() == null) {
      throw new PoisonMessageException("Record has no value");
    }
    return new DecodedMessage(KafkaEnvelopeHeaders.read(record.headers()), record.value());
  }

  /** The recoverer waits for the dead-letter topic's acknowledgement and throws if it fails. */
  @Override
  public void deadLetter(DeadLetter deadLetter) {
    recoverer.accept(record, new DeadLetterException(deadLetter));
  }
}
