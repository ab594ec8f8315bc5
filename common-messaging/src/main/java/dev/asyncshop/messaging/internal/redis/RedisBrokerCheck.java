package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.BrokerCheck;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Redis is reachable when it answers {@code PING}. */
final class RedisBrokerCheck implements BrokerCheck {

  private final StringRedisTemplate redis;

  RedisBrokerCheck(StringRedisTemplate redis) {
    this.redis = redis;
  }

  @Override
  public Transport transport() {
    return Transport.REDIS;
  }

  @Override
  public boolean reachable() {
    return "PONG".equalsIgnoreCase(redis.execute((RedisCallback<String>) RedisConnection::ping));
  }
}
