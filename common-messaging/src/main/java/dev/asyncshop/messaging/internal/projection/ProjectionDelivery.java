package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.kafka.KafkaEnvelopeHeaders;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.InboundDelivery;
import dev.asyncshop.messaging.spi.PoisonMessageException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record a projection's generation reads. What it cannot apply is parked in the parking lot
 * straight away, in the transaction of the poll's batch: it is parked exactly when the offset past
 * it is stored, so it is neither lost nor parked twice by one generation. No dead-letter topic is
 * involved, so the projection needs no access to one.
 */
final class ProjectionDelivery implements InboundDelivery {

  private final ConsumerRecord<String, byte[]> record;
  private final String projection;
  private final int generation;
  private final DeadLetterIntake parkingLot;

  ProjectionDelivery(
      ConsumerRecord<String, byte[]> record,
      String projection,
      int generation,
      DeadLetterIntake parkingLot) {
    this.record = record;
    this.projection = projection;
    this.generation = generation;
    this.parkingLot = parkingLot;
  }

  /**
   * A parked record's key: its place in its topic, and the generation that could not apply it, so
   * each generation parks it once.
   */
  static String parkingKey(ConsumerRecord<?, ?> record, String projection, int generation) {
    return "%s%s:%d:%s:%d:%d"
        .formatted(
            ArrivedDeadLetter.PROJECTION,
            projection,
            generation,
            record.topic(),
            record.partition(),
            record.offset());
  }

  @Override
  public DecodedMessage decode() {
    if (record.value() == null) {
      throw new PoisonMessageException("Record has no value");
    }
    return new DecodedMessage(KafkaEnvelopeHeaders.read(record.headers()), record.value());
  }

  @Override
  public void deadLetter(DeadLetter deadLetter) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(
          header.key(),
          header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
    }
    headers.putAll(deadLetter.headers());
    parkingLot.park(
        new ArrivedDeadLetter(
            parkingKey(record, projection, generation),
            Transport.KAFKA.id(),
            record.topic(),
            projection,
            ArrivedDeadLetter.PROJECTION + projection,
            DeadLetterReason.RETRIES_EXHAUSTED,
            headers,
            deadLetter.envelope(),
            record.value() == null ? new byte[0] : record.value(),
            null));
  }
}
