package dev.asyncshop.messaging.redis;

import dev.asyncshop.messaging.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Claims a message with {@code SET key token NX PX ttl} before its handler runs, marks it done
 * after success, and releases the claim after failure so a retry can claim it again. A consumer
 * that dies mid-handler loses its claim after the processing TTL.
 */
final class RedisIdempotencyStore implements IdempotencyStore {

  private static final String DONE = "done";

  /** Deletes the key only if this consumer's token still holds it. */
  private static final RedisScript<Long> RELEASE =
      RedisScript.of(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1])"
              + " else return 0 end",
          Long.class);

  private final StringRedisTemplate redis;
  private final String keyPrefix;
  private final Duration processingTtl;
  private final Duration retention;

  RedisIdempotencyStore(
      StringRedisTemplate redis, String keyPrefix, Duration processingTtl, Duration retention) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.processingTtl = processingTtl;
    this.retention = retention;
  }

  @Override
  public Outcome runOnce(String consumerGroup, String messageId, Runnable work) {
    String key = keyPrefix + ":" + consumerGroup + ":" + messageId;
    String token = UUID.randomUUID().toString();
    Boolean claimed = redis.opsForValue().setIfAbsent(key, token, processingTtl);
    if (!Boolean.TRUE.equals(claimed)) {
      if (DONE.equals(redis.opsForValue().get(key))) {
        return Outcome.DUPLICATE;
      }
      throw new MessageInProgressException(consumerGroup, messageId);
    }
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      redis.execute(RELEASE, List.of(key), token);
      throw e;
    }
    redis.opsForValue().set(key, DONE, retention);
    return Outcome.HANDLED;
  }
}
