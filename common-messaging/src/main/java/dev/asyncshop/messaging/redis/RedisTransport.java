package dev.asyncshop.messaging.redis;

import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.core.OutboundMessage;
import dev.asyncshop.messaging.core.OutboundTransport;
import dev.asyncshop.messaging.core.Transports;
import java.util.concurrent.CompletableFuture;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Broadcasts with {@code PUBLISH}. Redis answers with the number of subscribers that got it; zero
 * is not an error, since a broadcast is allowed to reach nobody.
 */
final class RedisTransport implements OutboundTransport {

  private final StringRedisTemplate redis;
  private final StructuredCloudEvent format;

  RedisTransport(StringRedisTemplate redis, StructuredCloudEvent format) {
    this.redis = redis;
    this.format = format;
  }

  @Override
  public String name() {
    return Transports.REDIS;
  }

  @Override
  public CompletableFuture<Void> send(OutboundMessage message) {
    String channel = message.route().destination();
    try {
      redis.convertAndSend(channel, format.write(message.envelope(), message.data()));
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new MessagePublishException(
              "Redis did not take %s on channel '%s': %s"
                  .formatted(message.envelope().type(), channel, e),
              e));
    }
  }
}
