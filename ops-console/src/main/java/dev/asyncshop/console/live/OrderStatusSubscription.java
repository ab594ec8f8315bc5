package dev.asyncshop.console.live;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The subscription to order-service's status broadcast, made in the background: the console starts
 * and serves every other page while Redis is away, and the orders page fills once Redis answers. A
 * listener container whose first subscription failed is thrown away and a fresh one tried after
 * {@link #RETRY}; once subscribed, the container itself subscribes again after a lost connection.
 */
final class OrderStatusSubscription implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OrderStatusSubscription.class);

  static final Duration RETRY = Duration.ofSeconds(5);

  private final RedisConnectionFactory redis;
  private final MessageListener listener;
  private final ChannelTopic channel;
  private @Nullable ScheduledExecutorService subscriber;
  private @Nullable ExecutorService dispatcher;
  private volatile @Nullable RedisMessageListenerContainer container;
  private volatile boolean running;

  OrderStatusSubscription(RedisConnectionFactory redis, MessageListener listener, String channel) {
    this.redis = redis;
    this.listener = listener;
    this.channel = new ChannelTopic(channel);
  }

  @Override
  public synchronized void start() {
    // Daemons: neither holds anything that must finish before the JVM ends.
    subscriber = Executors.newSingleThreadScheduledExecutor(daemons("live-orders-subscribe-"));
    // One thread hands the changes on, so every page sees them in the order Redis delivered them;
    // the container's default runs each message on a thread of its own.
    dispatcher = Executors.newSingleThreadExecutor(daemons("live-orders-"));
    running = true;
    subscriber.execute(this::subscribe);
  }

  private void subscribe() {
    ScheduledExecutorService retries = subscriber;
    ExecutorService dispatch = dispatcher;
    if (!running || retries == null || dispatch == null) {
      return;
    }
    RedisMessageListenerContainer attempt = new RedisMessageListenerContainer();
    attempt.setConnectionFactory(redis);
    attempt.setTaskExecutor(new TaskExecutorAdapter(dispatch));
    attempt.addMessageListener(listener, channel);
    attempt.afterPropertiesSet();
    try {
      attempt.start();
      container = attempt;
      log.info("Subscribed to {} for the live orders page", channel.getTopic());
    } catch (RuntimeException e) {
      destroy(attempt);
      log.warn(
          "Could not subscribe to {} ({}); trying again in {} s",
          channel.getTopic(),
          e.getMessage(),
          RETRY.toSeconds());
      retries.schedule(this::subscribe, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Subscribed now. */
  boolean subscribed() {
    RedisMessageListenerContainer current = container;
    return current != null && current.isListening();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (subscriber != null) {
      subscriber.shutdownNow();
    }
    RedisMessageListenerContainer current = container;
    if (current != null) {
      destroy(current);
      container = null;
    }
    if (dispatcher != null) {
      dispatcher.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static void destroy(RedisMessageListenerContainer container) {
    try {
      container.destroy();
    } catch (Exception e) {
      log.debug("Closing a listener container failed: {}", e.toString());
    }
  }

  private static CustomizableThreadFactory daemons(String prefix) {
    CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
    threads.setDaemon(true);
    return threads;
  }
}
