package dev.asyncshop.order.tracking;

import dev.asyncshop.order.tracking.OrderQueries.Progress;
import dev.asyncshop.order.tracking.OrderQueries.Step;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The live status streams this instance serves. A stream sends the timeline steps it has not sent
 * yet, read from the database, whenever it is told the order changed: by the status broadcast,
 * which reaches every instance, so any instance can serve any order. Reading the steps from the
 * database rather than from the broadcast keeps each stream complete and in order even when a
 * broadcast is lost, arrives twice or overtakes another; the periodic catch-up covers a lost last
 * broadcast. A stream ends when its order has.
 */
@Component
public class OrderStreams implements SchedulingConfigurer {

  private static final Logger log = LoggerFactory.getLogger(OrderStreams.class);

  private final OrderQueries queries;
  private final TrackingSettings settings;
  private final ConcurrentMap<UUID, Set<Stream>> open = new ConcurrentHashMap<>();

  OrderStreams(OrderQueries queries, TrackingSettings settings) {
    this.queries = queries;
    this.settings = settings;
  }

  /** An open stream, as its opener holds it: to close it when the client goes or times out. */
  public interface Subscription {

    /** Sends nothing more to this client; closing twice does nothing more. */
    void close();
  }

  /** One client's stream of one order. */
  private final class Stream implements Subscription {
    final UUID orderId;
    final StatusSink sink;
    long lastSent;
    volatile boolean closed;

    Stream(UUID orderId, StatusSink sink, long lastSent) {
      this.orderId = orderId;
      this.sink = sink;
      this.lastSent = lastSent;
    }

    @Override
    public void close() {
      forget(this);
    }
  }

  /**
   * Opens a stream that first sends the order's timeline after {@code lastEventId} (all of it for
   * 0), then each new step, and completes the sink when the order ends.
   *
   * @throws OrderNotFoundException if there is no such order
   */
  public Subscription open(UUID orderId, long lastEventId, StatusSink sink) {
    if (!queries.exists(orderId)) {
      throw new OrderNotFoundException(orderId);
    }
    Stream stream = new Stream(orderId, sink, lastEventId);
    // Registered before the first read, so no change falls between the read and the listening.
    open.computeIfAbsent(orderId, id -> ConcurrentHashMap.newKeySet()).add(stream);
    catchUp(stream, false);
    return stream;
  }

  /** How long a client's stream stays open before it must reconnect. */
  public Duration streamTimeout() {
    return settings.streamTimeout();
  }

  /** The order changed: its streams on this instance send what is new. */
  void changed(UUID orderId) {
    Set<Stream> streams = open.get(orderId);
    if (streams != null) {
      streams.forEach(stream -> catchUp(stream, false));
    }
  }

  /** Streams open on this instance, for tests and metrics. */
  int openStreams() {
    return open.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar registrar) {
    registrar.addFixedDelayTask(
        () -> open.values().forEach(streams -> streams.forEach(s -> catchUp(s, true))),
        settings.catchUpInterval());
  }

  private void catchUp(Stream stream, boolean keepAlive) {
    synchronized (stream) {
      if (stream.closed) {
        return;
      }
      try {
        Optional<Progress> progress = queries.since(stream.orderId, stream.lastSent);
        if (progress.isEmpty()) {
          end(stream);
          return;
        }
        for (Step step : progress.get().steps()) {
          stream.sink.send(step.seq(), step.entry());
          stream.lastSent = step.seq();
        }
        if (progress.get().status().isEnd()) {
          end(stream);
        } else if (keepAlive && progress.get().steps().isEmpty()) {
          stream.sink.keepAlive();
        }
      } catch (IOException | IllegalStateException e) {
        // The client went away, or the stream completed meanwhile.
        forget(stream);
      } catch (RuntimeException e) {
        log.warn("Stream of order {} not brought up to date: {}", stream.orderId, e.toString());
      }
    }
  }

  private void end(Stream stream) {
    forget(stream);
    stream.sink.complete();
  }

  private void forget(Stream stream) {
    stream.closed = true;
    open.computeIfPresent(
        stream.orderId,
        (id, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
  }
}
