package dev.asyncshop.messaging.redis;

import dev.asyncshop.messaging.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Claims a message with {@code SET key token NX PX ttl} before its handler runs, marks it done
 * after success, and releases the claim after failure so a retry can claim it again. A consumer
 * that dies mid-handler loses its claim after the processing TTL.
 *
 * <p>Only the claim is awaited. Marking done is sent without waiting for Redis's answer, which
 * halves the round trips in the consumer's path. Claims, reads and marks share one connection (the
 * client's reactive one, when it has one), so Redis applies a mark before any claim sent after it:
 * a delivery that follows a handled one still finds the message done. Until the mark lands, the
 * claim itself keeps any other delivery out, so nothing can run twice that could not before; a mark
 * that fails is logged, and the claim expires after the processing TTL, as when an awaited mark
 * failed.
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
  private final @Nullable ReactiveStringRedisTemplate marks;
  private final String keyPrefix;
  private final Duration processingTtl;
  private final Duration retention;

  /**
   * @param marks claims, reads and marks done, the marks without waiting; {@code null} (a client
   *     without a reactive API) does all of it, awaited, on {@code redis}
   */
  RedisIdempotencyStore(
      StringRedisTemplate redis,
      @Nullable ReactiveStringRedisTemplate marks,
      String keyPrefix,
      Duration processingTtl,
      Duration retention) {
    this.redis = redis;
    this.marks = marks;
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
    if (marks != null) {
      try {
        marks
            .opsForValue()
            .set(key, DONE, retention)
            .subscribe(ok -> {}, failure -> markFailed(messageId, failure));
        return;
      } catch (RuntimeException e) {
        markFailed(messageId, e);
        return;
      }
    }
    try {
      redis.opsForValue().set(key, DONE, retention);
    } catch (DataAccessException e) {
      markFailed(messageId, e);
    }
  }

  private static void markFailed(String messageId, Throwable failure) {
    log.error("Handled message {} but could not mark it done: {}", messageId, failure.toString());
  }

  private boolean claim(String key, String token) {
    try {
      Boolean claimed =
          marks != null
              ? marks.opsForValue().setIfAbsent(key, token, processingTtl).block()
              : redis.opsForValue().setIfAbsent(key, token, processingTtl);
      return Boolean.TRUE.equals(claimed);
    } catch (DataAccessException e) {
      throw new StoreUnavailableException("Redis idempotency store unavailable", e);
    }
  }

  private @Nullable String read(String key) {
    try {
      return marks != null ? marks.opsForValue().get(key).block() : redis.opsForValue().get(key);
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
