package dev.asyncshop.messaging.projection;

/**
 * Applies a record of a topic whose records are not messages to a projection's tables, by their
 * bare names, in the transaction of the record's batch. What it throws makes the record parked with
 * the exception as its reason, and the projection goes on; an outage of the database fails the
 * whole batch instead, which is read again.
 */
@FunctionalInterface
public interface RawRecordHandler {

  void apply(RawRecord record);
}
