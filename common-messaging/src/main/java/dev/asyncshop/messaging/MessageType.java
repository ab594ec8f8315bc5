package dev.asyncshop.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the message a record carries, as a versioned type such as {@code order.placed.v1}. The name
 * is the CloudEvents {@code type} and the key of its route under {@code messaging.routes}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageType {

  /** The versioned message type, for example {@code inventory.reserve.v1}. */
  String value();
}
