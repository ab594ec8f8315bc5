package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.InboundDelivery;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Subscribes to each broadcast channel. Pub/sub cannot redeliver, so a broadcast whose handler
 * keeps failing is kept in the Redis Stream {@code <channel>.dlq} with the dead-letter fields, and
 * one refused for its signature or encryption in {@code <channel>.security.dlq}. One dispatch
 * thread keeps broadcasts in the order Redis delivered them.
 *
 * <p>A broadcast whose handler failed because a dependency is down is lost, counted and logged like
 * other transports' messages given back: a broadcast is a notice of the moment, which its readers
 * must be able to miss (order-service's live streams catch up on their own), and replaying it from
 * the dead letters after the outage would deliver a stale notice. Holding the one dispatch thread
 * until the dependency returns would stall every channel, and Redis drops a subscriber that falls
 * too far behind.
 *
 * <p>A channel's circuit breaker does not unsubscribe it: pub/sub cannot hold broadcasts back, so a
 * channel left while its breaker is open loses the same broadcasts as one that stays, and
 * subscribing again would add a way to fail on the one connection all channels share. While the
 * breaker is open each broadcast is dropped at once instead, counted and logged like any other
 * broadcast lost to an outage, without its handler's retries holding up the dispatch thread; once
 * it half-opens, the next broadcast is the trial.
 */
final class RedisSubscriber implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);

  /** Stream field holding the original structured CloudEvent. */
  static final String EVENT_FIELD = "event";

  static String deadLetterStream(String channel) {
    return channel + ".dlq";
  }

  /** Where broadcasts refused for security go, apart from the failures an operator replays. */
  static String securityDeadLetterStream(String channel) {
    return channel + ".security.dlq";
  }

  private final RedisConnectionFactory connectionFactory;
  private final StringRedisTemplate redis;
  private final StructuredCloudEvent format;
  private final ConsumerPipelines pipelines;
  private final MessagingMetrics metrics;
  private final DependencyOutages outages;
  private final long deadLetterMaxLength;
  private @Nullable RedisMessageListenerContainer container;
  private @Nullable ExecutorService dispatcher;
  private volatile boolean running;

  RedisSubscriber(
      RedisConnectionFactory connectionFactory,
      StringRedisTemplate redis,
      StructuredCloudEvent format,
      ConsumerPipelines pipelines,
      MessagingMetrics metrics,
      DependencyOutages outages,
      long deadLetterMaxLength) {
    this.connectionFactory = connectionFactory;
    this.deadLetterMaxLength = deadLetterMaxLength;
    this.redis = redis;
    this.format = format;
    this.pipelines = pipelines;
    this.metrics = metrics;
    this.outages = outages;
  }

  @Override
  public void start() {
    var subscriptions = pipelines.forTransport(Transport.REDIS);
    if (!subscriptions.isEmpty()) {
      RedisMessageListenerContainer container = new RedisMessageListenerContainer();
      container.setConnectionFactory(connectionFactory);
      dispatcher =
          Executors.newSingleThreadExecutor(new CustomizableThreadFactory("messaging-redis-"));
      container.setTaskExecutor(new TaskExecutorAdapter(dispatcher));
      for (ConsumerPipeline pipeline : subscriptions) {
        String channel = pipeline.subscription().destination();
        for (String stream :
            List.of(deadLetterStream(channel), securityDeadLetterStream(channel))) {
          metrics.deadLetterDepth(
              Transport.REDIS.id(), channel, stream, () -> streamLength(stream));
        }
        container.addMessageListener(
            (message, pattern) ->
                consume(pipeline, new String(message.getBody(), StandardCharsets.UTF_8)),
            new ChannelTopic(channel));
      }
      container.afterPropertiesSet();
      container.start();
      this.container = container;
    }
    running = true;
  }

  private double streamLength(String stream) {
    try {
      Long length = redis.opsForStream().size(stream);
      return length == null ? 0 : length;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private void consume(ConsumerPipeline pipeline, String json) {
    String channel = pipeline.subscription().destination();
    try {
      pipeline.process(
          new InboundDelivery() {
            @Override
            public DecodedMessage decode() {
              return format.read(json);
            }

            @Override
            public void deadLetter(DeadLetter deadLetter) {
              Map<String, String> fields = new LinkedHashMap<>();
              fields.put(EVENT_FIELD, json);
              fields.putAll(deadLetter.headers());
              redis
                  .opsForStream()
                  .add(
                      StreamRecords.string(fields)
                          .withStreamKey(
                              deadLetter.reason().isSecurity()
                                  ? securityDeadLetterStream(channel)
                                  : deadLetterStream(channel)),
                      // Capped, for while the parking lot cannot empty it.
                      XAddOptions.maxlen(deadLetterMaxLength).approximateTrimming(true));
            }
          });
    } catch (DependencyUnavailableException e) {
      outages.report(
          pipeline.subscription(), e, "the broadcast is lost, as pub/sub cannot deliver it again");
    } catch (RuntimeException e) {
      // Pub/sub has no redelivery: this broadcast is lost, which the route accepted by being one.
      log.error("Broadcast on {} lost: {}", channel, e.toString());
    }
  }

  @Override
  public void stop() {
    if (container != null) {
      container.stop();
      try {
        container.destroy();
      } catch (Exception e) {
        log.debug("Closing the Redis listener container failed", e);
      }
      container = null;
    }
    if (dispatcher != null) {
      dispatcher.shutdown();
      dispatcher = null;
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
