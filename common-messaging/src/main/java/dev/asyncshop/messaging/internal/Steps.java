package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.MessageHandler;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a step needs from the steps before it. Missing means the steps are in the wrong order, which
 * is a programming error, not a message problem.
 */
final class Steps {

  private Steps() {}

  static DecodedMessage message(ConsumerContext context) {
    return required(context.message(), "message", "DESERIALIZE");
  }

  static Envelope envelope(ConsumerContext context) {
    return message(context).envelope();
  }

  static Route route(ConsumerContext context) {
    return required(context.route(), "route", "DESERIALIZE");
  }

  static MessageHandler handler(ConsumerContext context) {
    return required(context.handler(), "handler", "FIND_HANDLER");
  }

  static Object payload(ConsumerContext context) {
    return required(context.payload(), "payload", "READ_PAYLOAD");
  }

  static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static <T> T required(@Nullable T value, String name, String step) {
    if (value == null) {
      throw new IllegalStateException(
          "No " + name + " in the consumer context: a step runs before " + step);
    }
    return value;
  }
}
