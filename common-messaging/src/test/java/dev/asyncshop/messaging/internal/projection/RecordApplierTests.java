package dev.asyncshop.messaging.internal.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.projection.RawRecord;
import dev.asyncshop.messaging.projection.RawRecordHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

/** How a batch of raw records reaches its handler when applied without savepoints. */
class RecordApplierTests {

  /** Never asked here: a batch applied at once takes no savepoint. */
  private static final PlatformTransactionManager NO_SAVEPOINTS =
      new PlatformTransactionManager() {
        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
          throw new AssertionError("no savepoint expected");
        }

        @Override
        public void commit(TransactionStatus status) {
          throw new AssertionError("no savepoint expected");
        }

        @Override
        public void rollback(TransactionStatus status) {
          throw new AssertionError("no savepoint expected");
        }
      };

  private static final List<ConsumerRecord<String, byte[]>> BATCH =
      List.of(record(0, "first"), record(1, "second"), record(2, "third"));

  @Test
  void aBatchReachesTheHandlerAtOnceInTheOrderItWasRead() {
    List<List<String>> calls = new ArrayList<>();
    RawRecordHandler handler =
        new RawRecordHandler() {
          @Override
          public void apply(RawRecord record) {
            throw new AssertionError("one by one while the batch could go at once");
          }

          @Override
          public void applyAll(List<RawRecord> records) {
            calls.add(
                records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
          }
        };

    applier(handler).applyAll(BATCH, "trail", 1);

    assertThat(calls).containsExactly(List.of("first", "second", "third"));
  }

  @Test
  void aHandlerThatKnowsNoBatchIsGivenTheRecordsOneByOne() {
    List<Long> offsets = new ArrayList<>();

    applier(record -> offsets.add(record.offset())).applyAll(BATCH, "trail", 1);

    assertThat(offsets).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aRefusalInTheBatchMakesItAppliedAgainCarefully() {
    RawRecordHandler refusing =
        new RawRecordHandler() {
          @Override
          public void apply(RawRecord record) {}

          @Override
          public void applyAll(List<RawRecord> records) {
            throw new DataIntegrityViolationException("value too long for type character varying");
          }
        };

    assertThatThrownBy(() -> applier(refusing).applyAll(BATCH, "trail", 1))
        .isInstanceOf(RecordApplier.RefusedInBatch.class)
        .hasMessageContaining("value too long");
  }

  @Test
  void anOutageOfTheDatabaseFailsTheBatchAsItIs() {
    RawRecordHandler cut =
        new RawRecordHandler() {
          @Override
          public void apply(RawRecord record) {}

          @Override
          public void applyAll(List<RawRecord> records) {
            throw new DataAccessResourceFailureException("connection reset");
          }
        };

    assertThatThrownBy(() -> applier(cut).applyAll(BATCH, "trail", 1))
        .isInstanceOf(DataAccessResourceFailureException.class);
  }

  private static RecordApplier applier(RawRecordHandler handler) {
    return RecordApplier.of(
        handler,
        NO_SAVEPOINTS,
        deadLetter -> {
          throw new AssertionError("nothing is parked from a batch applied at once");
        });
  }

  private static ConsumerRecord<String, byte[]> record(long offset, String value) {
    return new ConsumerRecord<>("audit", 0, offset, "key", value.getBytes(StandardCharsets.UTF_8));
  }
}
