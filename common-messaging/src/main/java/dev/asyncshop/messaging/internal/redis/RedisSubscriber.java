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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

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
 *
 * <p>The service starts while Redis is away: the channels are subscribed to in the background, with
 * backoff (1 s doubling to 10 s, for as long as it takes), and the broadcasts sent meanwhile are
 * missed, as during any Redis outage.
 */
final class RedisSubscriber implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);

  /**
   * How long {@link #start()} waits for the first try to subscribe; see {@link
   * #subscribeInBackground}.
   */
  static final Duration FIRST_ATTEMPT_WAIT = Duration.ofSeconds(2);

  /** How long {@link #stop()} waits for a try to subscribe to end. */
  static final Duration STOP_WAIT = Duration.ofSeconds(5);

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

  /**
   * The thread trying to subscribe, under this object's lock; a stop clears it, so that a container
   * that subscribed after the stop (or a thread left from an earlier start) is closed, not kept.
   */
  private @Nullable Thread subscriber;

  /** Once, under this object's lock: a gauge registered again after a restart is only ignored. */
  private boolean gaugesRegistered;

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
    List<ConsumerPipeline> subscriptions = pipelines.forTransport(Transport.REDIS);
    CountDownLatch firstAttempt = new CountDownLatch(subscriptions.isEmpty() ? 0 : 1);
    synchronized (this) {
      if (!subscriptions.isEmpty()) {
        if (!gaugesRegistered) {
          for (ConsumerPipeline pipeline : subscriptions) {
            String channel = pipeline.subscription().destination();
            for (String stream :
                List.of(deadLetterStream(channel), securityDeadLetterStream(channel))) {
              metrics.deadLetterDepth(
                  Transport.REDIS.id(), channel, stream, () -> streamLength(stream));
            }
          }
          gaugesRegistered = true;
        }
        ExecutorService dispatch =
            Executors.newSingleThreadExecutor(new CustomizableThreadFactory("messaging-redis-"));
        dispatcher = dispatch;
        subscribeInBackground(subscriptions, dispatch, firstAttempt);
      }
      running = true;
    }
    // Outside the lock, which the subscribing thread takes to hand its container over.
    try {
      firstAttempt.await(FIRST_ATTEMPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Subscribing takes Redis, which may be slow or away while the service starts; a broadcast is a
   * notice of the moment, which its readers must be able to miss, so the service starts without it.
   * The channels are subscribed to on a thread of their own, again with backoff until Redis
   * answers. {@link #start()} waits for the first try only {@link #FIRST_ATTEMPT_WAIT} at most, so
   * that with Redis up the channels are subscribed to before the service takes traffic, as before.
   */
  private void subscribeInBackground(
      List<ConsumerPipeline> subscriptions, ExecutorService dispatch, CountDownLatch firstAttempt) {
    Thread subscriber =
        new Thread(
            () -> {
              try {
                subscribe(subscriptions, dispatch, firstAttempt);
              } finally {
                firstAttempt.countDown();
              }
            },
            "messaging-redis-subscribe");
    subscriber.setDaemon(true);
    this.subscriber = subscriber;
    subscriber.start();
  }

  /**
   * Tries a fresh listener container until one has subscribed to every channel. A container whose
   * first subscription failed is closed, not tried again: once subscribed, the container itself
   * subscribes again after a lost connection, but it does not recover a start that failed.
   */
  private void subscribe(
      List<ConsumerPipeline> subscriptions, ExecutorService dispatch, CountDownLatch firstAttempt) {
    List<String> channels =
        subscriptions.stream().map(pipeline -> pipeline.subscription().destination()).toList();
    ExponentialBackOff backOff = new ExponentialBackOff(1_000L, 2.0);
    backOff.setMaxInterval(10_000L);
    BackOffExecution retries = backOff.start();
    while (true) {
      RedisMessageListenerContainer attempt = containerFor(subscriptions, dispatch);
      try {
        attempt.start();
        synchronized (this) {
          // A stop during the try interrupts it, and the container may have subscribed meanwhile.
          if (subscriber != Thread.currentThread()) {
            Thread.interrupted();
            close(attempt);
            return;
          }
          container = attempt;
        }
        log.info("Subscribed to Redis channels {}", channels);
        return;
      } catch (RuntimeException e) {
        Thread.interrupted();
        close(attempt);
        synchronized (this) {
          if (subscriber != Thread.currentThread()) {
            return;
          }
        }
        long wait = retries.nextBackOff();
        // The container's exception only says that Redis could not be reached; its cause says why.
        log.warn(
            "Cannot subscribe to Redis channels {} yet, so their broadcasts are missed; trying"
                + " again in {} ms: {}",
            channels,
            wait,
            NestedExceptionUtils.getMostSpecificCause(e).toString());
        firstAttempt.countDown();
        try {
          Thread.sleep(wait);
        } catch (InterruptedException stopped) {
          return;
        }
      }
    }
  }

  private RedisMessageListenerContainer containerFor(
      List<ConsumerPipeline> subscriptions, ExecutorService dispatch) {
    RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    container.setConnectionFactory(connectionFactory);
    container.setTaskExecutor(new TaskExecutorAdapter(dispatch));
    for (ConsumerPipeline pipeline : subscriptions) {
      container.addMessageListener(
          (message, pattern) ->
              consume(pipeline, new String(message.getBody(), StandardCharsets.UTF_8)),
          new ChannelTopic(pipeline.subscription().destination()));
    }
    container.afterPropertiesSet();
    return container;
  }

  /** Stops the container, unsubscribing if it had subscribed, and lets go of its connection. */
  private static void close(RedisMessageListenerContainer container) {
    try {
      container.destroy();
    } catch (Exception e) {
      log.debug("Closing the Redis listener container failed", e);
    }
  }

  /** Whether every channel is subscribed to now. */
  boolean subscribed() {
    RedisMessageListenerContainer current;
    synchronized (this) {
      current = container;
    }
    return current != null && current.isListening();
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

  /**
   * Ends a subscribing try still under way, waiting {@link #STOP_WAIT} at most: a thread blocked on
   * a connection to a Redis that does not answer closes its container itself once it gives up.
   */
  @Override
  public void stop() {
    Thread trying;
    RedisMessageListenerContainer subscribed;
    synchronized (this) {
      trying = subscriber;
      subscriber = null;
      subscribed = container;
      container = null;
    }
    if (trying != null) {
      trying.interrupt();
      try {
        trying.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (subscribed != null) {
      close(subscribed);
    }
    synchronized (this) {
      if (dispatcher != null) {
        dispatcher.shutdown();
        dispatcher = null;
      }
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
