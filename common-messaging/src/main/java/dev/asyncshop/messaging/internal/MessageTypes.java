package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessageType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads the {@link MessageType} of message records. */
final class MessageTypes {

  private static final Map<Class<?>, String> CACHE = new ConcurrentHashMap<>();

  private MessageTypes() {}

  /** The type name of a message class; fails if the class does not declare one. */
  static String of(Class<?> messageClass) {
    return CACHE.computeIfAbsent(
        messageClass,
        c -> {
          MessageType annotation = c.getAnnotation(MessageType.class);
          if (annotation == null) {
            throw new IllegalArgumentException(
                c.getName() + " is not a message: annotate it with @MessageType(\"name.v1\")");
          }
          return annotation.value();
        });
  }
}
