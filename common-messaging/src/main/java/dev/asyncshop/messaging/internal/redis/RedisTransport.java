package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.MessagePublishException;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.OutboundTransport;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Broadcasts with {@code PUBLISH}. Redis answers with the number of subscribers that got it; zero
 * is not an error, since a broadcast is allowed to reach nobody.
 *
 * <p>Publishing is handed to one thread of its own, in the order of the sends, so that a
 * fire-and-forget broadcast never waits for Redis, not even while the client (re)connects. With
 * Lettuce that thread only dispatches: it sends each {@code PUBLISH} through the asynchronous API
 * and goes on, so broadcasts are pipelined on the connection and one thread is not limited to one
 * round trip at a time. Other clients publish and wait, one at a time.
 */
final class RedisTransport implements OutboundTransport, DisposableBean {

  private static final int QUEUE_CAPACITY = 10_000;

  private final StringRedisTemplate redis;
  private final StructuredCloudEvent format;
  private final boolean lettuce;
  private final ExecutorService publisher =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(QUEUE_CAPACITY),
          new CustomizableThreadFactory("messaging-redis-publish-"));

  /**
   * @param lettuce publish through Lettuce's asynchronous API; only for a template on a {@code
   *     LettuceConnectionFactory}
   */
  RedisTransport(StringRedisTemplate redis, StructuredCloudEvent format, boolean lettuce) {
    this.redis = redis;
    this.format = format;
    this.lettuce = lettuce;
  }

  @Override
  public Transport transport() {
    return Transport.REDIS;
  }

  @Override
  public CompletableFuture<Void> send(OutboundMessage message) {
    String channel = message.route().destination();
    String event = format.write(message.envelope(), message.data());
    try {
      return CompletableFuture.supplyAsync(() -> publish(channel, event), publisher)
          .thenCompose(answered -> answered)
          // Lettuce completes the answer on its I/O thread; what callers chain on (metrics, audit,
          // their own steps) runs on the publishing thread instead, never on Redis's I/O thread.
          .<Void>thenApplyAsync(subscribers -> null, publisher)
          .exceptionallyCompose(
              failure ->
                  CompletableFuture.failedFuture(
                      new MessagePublishException(
                          "Redis did not take %s on channel '%s': %s"
                              .formatted(message.envelope().type(), channel, failure.getCause()),
                          failure)));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new MessagePublishException(
              "Too many broadcasts waiting for Redis; %s on channel '%s' dropped"
                  .formatted(message.envelope().type(), channel),
              e));
    }
  }

  private CompletableFuture<Long> publish(String channel, String event) {
    if (!lettuce) {
      return CompletableFuture.completedFuture(redis.convertAndSend(channel, event));
    }
    return LettuceCommands.publish(redis, channel, event);
  }

  @Override
  public void destroy() throws InterruptedException {
    publisher.shutdown();
    publisher.awaitTermination(5, TimeUnit.SECONDS);
  }
}
