package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.projection.RawRecord;
import dev.asyncshop.messaging.projection.RawRecordHandler;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.DeadLetter;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** How the records of one topic are applied to a projection's generation, inside its batch. */
interface RecordApplier {

  void apply(ConsumerRecord<String, byte[]> record, String projection, int generation);

  /** Messages, through the library's pipeline and the projection's handlers. */
  static RecordApplier of(ConsumerPipeline pipeline, DeadLetterIntake parkingLot) {
    return (record, projection, generation) ->
        pipeline.process(new ProjectionDelivery(record, projection, generation, parkingLot));
  }

  /**
   * Raw records, through the projection's own handler, each in a savepoint: one the handler refuses
   * is parked with its reason, once, without retries (the same bytes would be refused again). The
   * database going away is no reason of the record's: it fails the batch, which is read again.
   */
  static RecordApplier of(
      RawRecordHandler handler,
      PlatformTransactionManager transactionManager,
      DeadLetterIntake parkingLot) {
    TransactionTemplate savepoint = new TransactionTemplate(transactionManager);
    savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    return (record, projection, generation) -> {
      RawRecord raw =
          new RawRecord(
              record.topic(),
              record.partition(),
              record.offset(),
              record.key(),
              record.value() == null ? new byte[0] : record.value(),
              Instant.ofEpochMilli(record.timestamp()));
      try {
        savepoint.executeWithoutResult(status -> handler.apply(raw));
      } catch (DataAccessResourceFailureException | TransientDataAccessException outage) {
        throw outage;
      } catch (RuntimeException refused) {
        Instant now = Instant.now();
        Map<String, String> headers =
            new DeadLetter(
                    DeadLetterReason.NON_RETRYABLE,
                    refused,
                    1,
                    record.topic(),
                    projection,
                    now,
                    now,
                    null)
                .headers();
        parkingLot.park(
            new ArrivedDeadLetter(
                ProjectionDelivery.parkingKey(record, projection, generation),
                Transport.KAFKA.id(),
                record.topic(),
                projection,
                ArrivedDeadLetter.PROJECTION + projection,
                DeadLetterReason.NON_RETRYABLE,
                headers,
                null,
                raw.value(),
                null));
      }
    };
  }
}
