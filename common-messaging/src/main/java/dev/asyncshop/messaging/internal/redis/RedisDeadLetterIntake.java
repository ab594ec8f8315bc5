package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.DecodedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Moves this service's dead letters from the streams {@code <channel>.dlq} and {@code
 * <channel>.security.dlq} into the parking lot, every few seconds (a stream cannot push to a reader
 * that is not blocked on it, and one thread blocked per stream would be a waste): an entry is
 * deleted from its stream once the parking lot has it. Entries of other services subscribed to the
 * channel are passed over, left to them.
 */
final class RedisDeadLetterIntake implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RedisDeadLetterIntake.class);
  private static final int BATCH = 100;

  private final ConsumerPipelines pipelines;
  private final StringRedisTemplate redis;
  private final StructuredCloudEvent format;
  private final DeadLetterIntake intake;
  private final Duration pollInterval;

  /** The last entry passed over in each stream, so others' entries are not read again and again. */
  private final Map<String, String> passedOver = new ConcurrentHashMap<>();

  private @Nullable ScheduledExecutorService poller;

  RedisDeadLetterIntake(
      ConsumerPipelines pipelines,
      StringRedisTemplate redis,
      StructuredCloudEvent format,
      DeadLetterIntake intake,
      Duration pollInterval) {
    this.pipelines = pipelines;
    this.redis = redis;
    this.format = format;
    this.intake = intake;
    this.pollInterval = pollInterval;
  }

  @Override
  public void start() {
    List<ConsumerPipeline> subscriptions = pipelines.forTransport(Transport.REDIS);
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            new CustomizableThreadFactory("messaging-parking-redis-"));
    executor.scheduleWithFixedDelay(
        () -> subscriptions.forEach(this::takeAll),
        pollInterval.toMillis(),
        pollInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    poller = executor;
  }

  private void takeAll(ConsumerPipeline pipeline) {
    String channel = pipeline.subscription().destination();
    for (String stream :
        List.of(
            RedisSubscriber.deadLetterStream(channel),
            RedisSubscriber.securityDeadLetterStream(channel))) {
      try {
        take(channel, pipeline.subscription().group(), stream);
      } catch (RuntimeException e) {
        log.warn("Dead letters of {} stay in {} for now: {}", channel, stream, e.toString());
      }
    }
  }

  /** Takes one batch of a stream. */
  void take(String channel, String group, String stream) {
    String after = passedOver.get(stream);
    Range<String> range =
        after == null ? Range.unbounded() : Range.rightUnbounded(Range.Bound.exclusive(after));
    List<MapRecord<String, Object, Object>> entries =
        redis.opsForStream().range(stream, range, Limit.limit().count(BATCH));
    if (entries == null) {
      return;
    }
    for (MapRecord<String, Object, Object> entry : entries) {
      Map<String, String> fields = new LinkedHashMap<>();
      entry.getValue().forEach((name, value) -> fields.put(name.toString(), value.toString()));
      String entryGroup = fields.get(DeadLetterHeaders.CONSUMER_GROUP);
      if (entryGroup != null && !entryGroup.equals(group)) {
        passedOver.put(stream, entry.getId().getValue());
        continue;
      }
      String event = fields.remove(RedisSubscriber.EVENT_FIELD);
      DecodedMessage decoded = decode(event);
      intake.park(
          new ArrivedDeadLetter(
              "redis:" + stream + ":" + entry.getId().getValue(),
              Transport.REDIS.id(),
              channel,
              group,
              stream,
              DeadLetterReason.RETRIES_EXHAUSTED,
              fields,
              decoded != null ? decoded.envelope() : null,
              decoded != null
                  ? decoded.data()
                  : event == null ? new byte[0] : event.getBytes(StandardCharsets.UTF_8),
              null));
      redis.opsForStream().delete(stream, RecordId.of(entry.getId().getValue()));
    }
  }

  /** The structured event read, or {@code null} when there is none or it cannot be read. */
  private @Nullable DecodedMessage decode(@Nullable String event) {
    if (event == null) {
      return null;
    }
    try {
      return format.read(event);
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  @Override
  public void stop() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
  }

  @Override
  public boolean isRunning() {
    return poller != null;
  }
}
