package dev.asyncshop.messaging.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Sends a {@code SET key value PX ttl} through Lettuce's asynchronous commands without waiting for
 * the answer. Kept apart so that nothing touches Lettuce's classes unless Lettuce is the client.
 */
final class LettuceMarks {

  private LettuceMarks() {}

  /**
   * @param nativeConnection what Spring Data Redis's Lettuce connection exposes: the asynchronous
   *     commands of the connection it uses
   */
  @SuppressWarnings("unchecked")
  static void send(
      Object nativeConnection,
      byte[] key,
      byte[] value,
      Duration ttl,
      Consumer<Throwable> onFailure) {
    ((RedisStringAsyncCommands<byte[], byte[]>) nativeConnection)
        .set(key, value, SetArgs.Builder.px(ttl.toMillis()))
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                onFailure.accept(failure);
              }
            });
  }
}
