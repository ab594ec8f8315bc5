package dev.asyncshop.messaging;

/**
 * Whether the application's local tables ({@link HandleMessage#table()}) have caught up with their
 * topics: each has applied every record its topic held when the table started to read it, from the
 * first one. Until then a table holds an older state, or part of it. Afterwards it follows the
 * topic, a little behind as any consumer is: what it holds is eventually consistent.
 *
 * <p>The readiness health group may include {@code localTables}, which is down until every table
 * has caught up, so no traffic reaches an instance that would answer from a table still loading.
 */
public interface LocalTables {

  /**
   * Whether the table kept from the topic of this message type has caught up; {@code false} before
   * it started to read, and for a type no table reads.
   */
  boolean caughtUp(String messageType);

  /** {@link #caughtUp(String)} for the type a message record declares with {@link MessageType}. */
  default boolean caughtUp(Class<?> messageRecord) {
    MessageType type = messageRecord.getAnnotation(MessageType.class);
    if (type == null) {
      throw new IllegalArgumentException(
          messageRecord.getName()
              + " is not a message: annotate it with @MessageType(\"name.v1\")");
    }
    return caughtUp(type.value());
  }

  /** Whether every table of the application has caught up; {@code true} when there is none. */
  boolean allCaughtUp();
}
