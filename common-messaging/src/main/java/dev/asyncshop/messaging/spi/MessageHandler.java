package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import org.jspecify.annotations.Nullable;

/** The handler of one message type in one consumer group: a {@code @HandleMessage} method. */
public interface MessageHandler {

  /** The message type it handles. */
  String type();

  /** The consumer group it belongs to. */
  String group();

  /** The record class its payload is read into. */
  Class<?> payloadType();

  /**
   * Runs the handler; the handler's own exception propagates unwrapped.
   *
   * @return a query handler's reply; {@code null} for other handlers
   */
  @Nullable Object invoke(Object payload, Envelope envelope);
}
