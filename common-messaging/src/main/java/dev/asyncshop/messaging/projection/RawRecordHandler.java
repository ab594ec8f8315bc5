package dev.asyncshop.messaging.projection;

import java.util.List;

/**
 * Applies a record of a topic whose records are not messages to a projection's tables, by their
 * bare names, in the transaction of the record's batch. What it throws makes the record parked with
 * the exception as its reason, and the projection goes on; an outage of the database fails the
 * whole batch instead, which is read again. A batch in which a record was refused is rolled back
 * and applied again, so a handler may see a record more than once, and should do nothing outside
 * the transaction it is given.
 */
@FunctionalInterface
public interface RawRecordHandler {

  void apply(RawRecord record);

  /**
   * Applies the records of one batch from this handler's topic, in the order they were read: one by
   * one unless the handler knows a cheaper way, such as one JDBC batch of inserts. Should it refuse
   * a record, the whole batch is rolled back and applied again record by record through {@link
   * #apply}, each in a savepoint of its own, so that only the refused record is parked; an outage
   * of the database fails the batch, which is read again.
   */
  default void applyAll(List<RawRecord> records) {
    records.forEach(this::apply);
  }
}
