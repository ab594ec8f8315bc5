package dev.asyncshop.messaging.internal.redis;

import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis commands sent through Lettuce's asynchronous API: they go out on the connection at once, in
 * the order they were sent, and the caller does not wait for Redis's answer. Only for a template on
 * a {@code LettuceConnectionFactory} that shares its native connection, whose asynchronous commands
 * are what the template's connection exposes as native. Kept apart so that nothing touches
 * Lettuce's classes unless Lettuce is the client.
 */
final class LettuceCommands {

  private LettuceCommands() {}

  static CompletableFuture<String> set(
      StringRedisTemplate redis, String key, String value, Duration ttl) {
    return send(
        redis,
        commands -> commands.set(bytes(key), bytes(value), SetArgs.Builder.px(ttl.toMillis())));
  }

  /** Completes with the number of subscribers that got the message. */
  static CompletableFuture<Long> publish(
      StringRedisTemplate redis, String channel, String message) {
    return send(redis, commands -> commands.publish(bytes(channel), bytes(message)));
  }

  @SuppressWarnings("unchecked")
  private static <T> CompletableFuture<T> send(
      StringRedisTemplate redis,
      Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends CompletionStage<T>> command) {
    return redis.execute(
        (RedisCallback<CompletableFuture<T>>)
            connection ->
                command
                    .apply(
                        (RedisClusterAsyncCommands<byte[], byte[]>)
                            connection.getNativeConnection())
                    .toCompletableFuture());
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
