package dev.asyncshop.messaging.projection;

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
}
