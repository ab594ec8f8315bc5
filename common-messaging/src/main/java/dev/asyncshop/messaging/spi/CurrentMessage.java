package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Envelope;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The message being handled on this thread, so that whatever a handler sends carries the same
 * correlation id and names the handled message as its cause.
 */
public final class CurrentMessage {

  private static final ThreadLocal<@Nullable Envelope> CURRENT = new ThreadLocal<>();

  private CurrentMessage() {}

  /** The envelope of the message being handled on this thread, or {@code null}. */
  public static @Nullable Envelope get() {
    return CURRENT.get();
  }

  /**
   * Runs the work as the handling of the given message; the pipeline does this around every handler
   * run.
   */
  public static <T> T runWith(Envelope envelope, Supplier<T> work) {
    Envelope previous = CURRENT.get();
    CURRENT.set(envelope);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }
}
