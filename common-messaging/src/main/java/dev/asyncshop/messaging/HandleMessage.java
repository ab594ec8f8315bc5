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
}
