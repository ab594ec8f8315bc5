package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.MessageHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ReflectionUtils;

/**
 * A bean method annotated with {@link dev.asyncshop.messaging.HandleMessage}.
 *
 * @param bean the bean
 * @param method the method, taking the payload and optionally the envelope
 * @param payloadType the message record class
 * @param type the message type the record declares
 * @param group the consumer group
 * @param table the handler keeps a local table, read from the start of its topic
 * @param projection the handler is part of a projection, whose name is the group
 */
record HandlerMethod(
    Object bean,
    Method method,
    Class<?> payloadType,
    String type,
    String group,
    boolean table,
    boolean projection)
    implements MessageHandler {

  HandlerMethod {
    ReflectionUtils.makeAccessible(method);
  }

  @Override
  public @Nullable Object invoke(Object payload, Envelope envelope) {
    Object[] args =
        method.getParameterCount() == 2 ? new Object[] {payload, envelope} : new Object[] {payload};
    try {
      return method.invoke(bean, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }
}
