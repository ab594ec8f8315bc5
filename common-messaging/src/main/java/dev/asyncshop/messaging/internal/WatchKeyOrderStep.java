package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages handled out of order ({@code messaging.ordering.violations}): a message older
 * than one the same subscription already handled for the same source and partition key. Older means
 * an earlier CloudEvents {@code sequence} when both carry one (the outbox numbers every row it
 * sends), else an earlier {@code time}, which clocks of several instances can blur. The sequence is
 * the better witness: it is the order the producer wrote the messages in, exactly.
 *
 * <p>Only messages that were handled count and are remembered: a duplicate, an ignored or a
 * dead-lettered message is neither. Messages without a partition key promise no order, and a query
 * is answered whenever it is asked, so neither is watched. Each subscription remembers the newest
 * message of its most recently handled keys only, up to a bound, so memory stays bounded; a key
 * forgotten and seen again starts afresh, which can miss a violation but never invents one.
 */
final class WatchKeyOrderStep implements ConsumerStep {

  /** Keys remembered per subscription: a few megabytes at most. */
  static final int KEYS_PER_SUBSCRIPTION = 10_000;

  private static final Logger log = LoggerFactory.getLogger(WatchKeyOrderStep.class);

  private final MessagingMetrics metrics;
  private final int keysPerSubscription;
  private final Map<SubscriptionId, NewestByKey> positions = new ConcurrentHashMap<>();

  WatchKeyOrderStep(MessagingMetrics metrics, int keysPerSubscription) {
    this.metrics = metrics;
    this.keysPerSubscription = keysPerSubscription;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    ConsumeResult result = next.proceed(context);
    if (!(result instanceof ConsumeResult.Handled)) {
      return result;
    }
    Envelope envelope = Steps.envelope(context);
    Route route = Steps.route(context);
    // A replay is late by its nature: an operator chose to handle it after its successors.
    if (envelope.partitionKey() == null
        || route.kind() == MessageKind.QUERY
        || context.delivery().replay() != null) {
      return result;
    }
    Subscription subscription = context.subscription();
    SubscriptionId id =
        new SubscriptionId(
            subscription.transport().id(), subscription.destination(), subscription.group());
    boolean late =
        positions
            .computeIfAbsent(id, s -> new NewestByKey(keysPerSubscription))
            .handled(
                new Key(envelope.source(), envelope.partitionKey()),
                new Position(envelope.extension(CloudEventAttributes.SEQUENCE), envelope.time()));
    if (late) {
      metrics.orderingViolation(id.transport(), id.destination(), route.type(), id.group());
      log.debug(
          "{} {} about {} from {} handled after a later message of that key",
          route.type(),
          envelope.id(),
          envelope.partitionKey(),
          envelope.source());
    }
    return result;
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.WATCH_KEY_ORDER;
  }

  /**
   * Compares two sequences: as numbers when both are digits, whatever their padding; otherwise as
   * text, the order CloudEvents gives them.
   */
  static int compareSequences(String a, String b) {
    if (isNumber(a) && isNumber(b)) {
      String x = withoutLeadingZeros(a);
      String y = withoutLeadingZeros(b);
      return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
    return a.compareTo(b);
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static String withoutLeadingZeros(String digits) {
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') {
      start++;
    }
    return digits.substring(start);
  }

  /** One subscription: what its consumer group takes from one destination. */
  private record SubscriptionId(String transport, String destination, String group) {}

  /** Whose messages keep an order: one producer's, about one entity. */
  private record Key(String source, String partitionKey) {}

  /** How far a key got: the newest sequence and the newest time handled. */
  private record Position(@Nullable String sequence, Instant time) {

    boolean isBefore(Position other) {
      return sequence != null && other.sequence != null
          ? compareSequences(sequence, other.sequence) < 0
          : time.isBefore(other.time);
    }

    Position furthest(Position other) {
      String newestSequence =
          sequence == null
              ? other.sequence
              : other.sequence == null || compareSequences(sequence, other.sequence) >= 0
                  ? sequence
                  : other.sequence;
      return new Position(newestSequence, time.isAfter(other.time) ? time : other.time);
    }
  }

  /** The position of each of a subscription's most recently handled keys. */
  private static final class NewestByKey {

    private final Map<Key, Position> positions;

    NewestByKey(int capacity) {
      this.positions =
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Position> eldest) {
              return size() > capacity;
            }
          };
    }

    /** Records a handled message; returns whether it is older than one handled before it. */
    synchronized boolean handled(Key key, Position position) {
      Position before = positions.get(key);
      if (before == null) {
        positions.put(key, position);
        return false;
      }
      positions.put(key, before.furthest(position));
      return position.isBefore(before);
    }
  }
}
