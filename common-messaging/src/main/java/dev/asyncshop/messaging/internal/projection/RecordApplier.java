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
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** How the records of one topic are applied to a projection's generation, inside its batch. */
interface RecordApplier {

  /**
   * Applies one record carefully: a raw record gets a savepoint of its own, and one that is refused
   * is parked.
   */
  void apply(ConsumerRecord<String, byte[]> record, String projection, int generation);

  /**
   * Applies a batch's records of this applier's topic at once, without a savepoint per record.
   *
   * @throws RefusedInBatch when a raw record was refused: the batch is rolled back and applied
   *     again record by record through {@link #apply}
   */
  default void applyAll(
      List<ConsumerRecord<String, byte[]>> records, String projection, int generation) {
    for (ConsumerRecord<String, byte[]> record : records) {
      apply(record, projection, generation);
    }
  }

  /**
   * Whether records go through the library's pipeline, whose steps act outside the database (audit
   * records, metrics, retries): a batch holding such records is never applied twice.
   */
  default boolean throughPipeline() {
    return false;
  }

  /** A raw record refused in a batch applied without savepoints; the batch is applied again. */
  final class RefusedInBatch extends RuntimeException {

    RefusedInBatch(RuntimeException refused) {
      super(refused.getMessage(), refused);
    }
  }

  /** Messages, through the library's pipeline and the projection's handlers. */
  static RecordApplier of(ConsumerPipeline pipeline, DeadLetterIntake parkingLot) {
    return new RecordApplier() {
      @Override
      public void apply(ConsumerRecord<String, byte[]> record, String projection, int generation) {
        pipeline.process(new ProjectionDelivery(record, projection, generation, parkingLot));
      }

      @Override
      public boolean throughPipeline() {
        return true;
      }
    };
  }

  /**
   * Raw records, through the projection's own handler. One the handler refuses is parked with its
   * reason, once, without retries (the same bytes would be refused again), and whatever the handler
   * wrote before it refused is undone. The database going away is no reason of the record's: it
   * fails the batch, which is read again.
   *
   * <p>A savepoint around each record would undo a refused one's writes, but costs two more
   * statements per record, and a projection such as the audit trail writes one row per record and
   * refuses almost none. So a batch of a projection that reads raw records only is first applied
   * without savepoints; should a record be refused, the whole batch is rolled back and applied
   * again with a savepoint per record.
   */
  static RecordApplier of(
      RawRecordHandler handler,
      PlatformTransactionManager transactionManager,
      DeadLetterIntake parkingLot) {
    TransactionTemplate savepoint = new TransactionTemplate(transactionManager);
    savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    return new RecordApplier() {
      @Override
      public void apply(ConsumerRecord<String, byte[]> record, String projection, int generation) {
        RawRecord raw = raw(record);
        whenRefused(
            () -> savepoint.executeWithoutResult(status -> handler.apply(raw)),
            refused -> park(record, raw, projection, generation, refused));
      }

      @Override
      public void applyAll(
          List<ConsumerRecord<String, byte[]>> records, String projection, int generation) {
        List<RawRecord> raws = records.stream().map(RecordApplier::raw).toList();
        whenRefused(
            () -> handler.applyAll(raws),
            refused -> {
              throw new RefusedInBatch(refused);
            });
      }

      private void park(
          ConsumerRecord<String, byte[]> record,
          RawRecord raw,
          String projection,
          int generation,
          RuntimeException refused) {
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

  private static RawRecord raw(ConsumerRecord<String, byte[]> record) {
    return new RawRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value() == null ? new byte[0] : record.value(),
        Instant.ofEpochMilli(record.timestamp()));
  }

  /**
   * Runs a handler's work; what it throws is a refusal of the record, handed to {@code onRefusal},
   * unless it is an outage of the database, which fails the batch as it is, to be read again.
   */
  private static void whenRefused(Runnable work, Consumer<RuntimeException> onRefusal) {
    try {
      work.run();
    } catch (DataAccessResourceFailureException | TransientDataAccessException outage) {
      throw outage;
    } catch (RuntimeException refused) {
      onRefusal.accept(refused);
    }
  }
}
