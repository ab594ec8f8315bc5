package dev.asyncshop.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as the handler of one message type. The method takes the message record
 * (annotated with {@link MessageType}) and, optionally, its {@link Envelope}. A query handler
 * returns the reply; other handlers return nothing.
 *
 * <p>The handler does only its own work: acknowledgement, retries, duplicate detection, audit,
 * dead-lettering and metrics happen around it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface HandleMessage {

  /**
   * The consumer group the handler belongs to; defaults to {@code messaging.service-name}. Each
   * group receives every event once and keeps its own record of what it has handled.
   */
  String group() default "";

  /**
   * The handler keeps a local table from a Kafka topic that carries the current state of things (a
   * compacted topic, see {@link MessagingProperties.Route#compacted()}). Every instance reads the
   * topic from its first record at every start and then follows it, so each holds the whole table:
   * no consumer group shares the partitions, and no offset is committed. A table is written by
   * applying the last state of each key, so a record applied twice is harmless and the idempotency
   * store is left out; everything else around the handler stays (signature check, decryption,
   * audit, metrics, retries, and a dead letter with its reason for a record it cannot apply, after
   * which the table goes on). {@link LocalTables} says when a table has caught up with its topic.
   */
  boolean table() default false;

  /**
   * The handler is part of the named projection: a read model kept in this service's database from
   * Kafka topics of events, which can be rebuilt from their first record beside the one readers use
   * (see {@link dev.asyncshop.messaging.projection.Projections}). The projection's engine reads the
   * topic with no consumer group and runs each poll's records, and where they got to, in one
   * database transaction, so a record is applied exactly once to each version of the read model and
   * the idempotency store is left out. The handler writes the projection's tables by their bare
   * names; the engine points them at the version being written. A record it cannot apply is parked
   * in the parking lot, and the projection goes on.
   *
   * <p>Neither {@link #group()} nor {@link #table()} goes with it.
   */
  String projection() default "";
}
