package dev.asyncshop.messaging.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Redis commands sent through Lettuce's asynchronous API: they go out on the connection at once, in
 * the order they were sent, and the caller does not wait for Redis's answer. Kept apart so that
 * nothing touches Lettuce's classes unless Lettuce is the client.
 *
 * <p>{@code nativeConnection} is what Spring Data Redis's Lettuce connection exposes: the
 * asynchronous commands of the connection it uses (the shared one, by default).
 */
final class LettuceCommands {

  private LettuceCommands() {}

  @SuppressWarnings("unchecked")
  static CompletableFuture<String> set(
      Object nativeConnection, byte[] key, byte[] value, Duration ttl) {
    return ((RedisStringAsyncCommands<byte[], byte[]>) nativeConnection)
        .set(key, value, SetArgs.Builder.px(ttl.toMillis()))
        .toCompletableFuture();
  }

  /** Completes with the number of subscribers that got the message. */
  @SuppressWarnings("unchecked")
  static CompletableFuture<Long> publish(Object nativeConnection, byte[] channel, byte[] message) {
    return ((BaseRedisAsyncCommands<byte[], byte[]>) nativeConnection)
        .publish(channel, message)
        .toCompletableFuture();
  }
}
