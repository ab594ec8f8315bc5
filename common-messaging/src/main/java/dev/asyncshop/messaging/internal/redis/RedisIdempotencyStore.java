package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.spi.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Claims a message with {@code SET key token NX PX ttl} before its handler runs, marks it done
 * after success, and releases the claim after failure so a retry can claim it again. A consumer
 * that dies mid-handler loses its claim after the processing TTL.
 *
 * <p>Only the claim is awaited. With Lettuce (Boot's default client) the done mark is sent on the
 * same connection without waiting for Redis's answer, which takes one of the two round trips out of
 * the consumer's path. That is safe because the claim is still there until the mark replaces it: a
 * redelivery that arrives before the mark lands finds the message claimed and comes back later,
 * never runs it twice. A mark that fails is logged, and the claim expires after the processing TTL,
 * as when an awaited mark failed. Other clients mark done and wait.
 */
final class RedisIdempotencyStore implements IdempotencyStore {

  private static final Logger log = LoggerFactory.getLogger(RedisIdempotencyStore.class);

  private static final String DONE = "done";

  /** Deletes the key only if this consumer's token still holds it. */
  private static final RedisScript<Long> RELEASE =
      RedisScript.of(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1])"
              + " else return 0 end",
          Long.class);

  private final StringRedisTemplate redis;
  private final boolean markWithoutWaiting;
  private final String keyPrefix;
  private final Duration processingTtl;
  private final Duration retention;

  /**
   * @param markWithoutWaiting send the done mark through Lettuce's asynchronous API; only for a
   *     template on a {@code LettuceConnectionFactory}
   */
  RedisIdempotencyStore(
      StringRedisTemplate redis,
      boolean markWithoutWaiting,
      String keyPrefix,
      Duration processingTtl,
      Duration retention) {
    this.redis = redis;
    this.markWithoutWaiting = markWithoutWaiting;
    this.keyPrefix = keyPrefix;
    this.processingTtl = processingTtl;
    this.retention = retention;
  }

  @Override
  public Outcome runOnce(String consumerGroup, String messageId, Runnable work) {
    String key = keyPrefix + ":" + consumerGroup + ":" + messageId;
    String token = UUID.randomUUID().toString();
    if (!claim(key, token)) {
      if (DONE.equals(read(key))) {
        return Outcome.DUPLICATE;
      }
      throw new MessageInProgressException(consumerGroup, messageId);
    }
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      release(key, token);
      throw e;
    }
    markDone(key, messageId);
    return Outcome.HANDLED;
  }

  /**
   * If the mark fails, the work is done and the message will be acknowledged anyway; only a
   * redelivery after the claim expires could run it again.
   */
  private void markDone(String key, String messageId) {
    try {
      if (markWithoutWaiting) {
        LettuceCommands.set(redis, key, DONE, retention)
            .whenComplete(
                (ok, failure) -> {
                  if (failure != null) {
                    markFailed(messageId, failure);
                  }
                });
      } else {
        redis.opsForValue().set(key, DONE, retention);
      }
    } catch (RuntimeException e) {
      markFailed(messageId, e);
    }
  }

  private static void markFailed(String messageId, Throwable failure) {
    log.error("Handled message {} but could not mark it done: {}", messageId, failure.toString());
  }

  private boolean claim(String key, String token) {
    try {
      return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, token, processingTtl));
    } catch (DataAccessException e) {
      throw new StoreUnavailableException("Redis idempotency store unavailable", e);
    }
  }

  private @Nullable String read(String key) {
    try {
      return redis.opsForValue().get(key);
    } catch (DataAccessException e) {
      throw new StoreUnavailableException("Redis idempotency store unavailable", e);
    }
  }

  private void release(String key, String token) {
    try {
      redis.execute(RELEASE, List.of(key), token);
    } catch (DataAccessException e) {
      log.warn("Could not release claim {}; it expires after {}", key, processingTtl);
    }
  }
}
