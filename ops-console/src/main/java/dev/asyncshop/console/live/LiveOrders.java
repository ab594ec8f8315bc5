package dev.asyncshop.console.live;

import dev.asyncshop.console.ConsoleSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The latest order status changes, and every open orders page's stream. order-service broadcasts
 * each change on a Redis channel; Redis pub/sub keeps nothing, so what happened while the console
 * was away is not shown here (the audit timeline has it), and the few latest changes are kept in
 * memory for a page that opens between two of them.
 */
public class LiveOrders implements MessageListener, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveOrders.class);

  private final JsonMapper json;
  private final ConsoleSettings.LiveOrders settings;
  private final Deque<OrderStatusChange> recent = new ArrayDeque<>();
  private final Set<SseEmitter> streams = new CopyOnWriteArraySet<>();
  private volatile boolean running;

  LiveOrders(JsonMapper json, ConsoleSettings.LiveOrders settings) {
    this.json = json;
    this.settings = settings;
  }

  /** The latest changes, newest first. */
  public synchronized List<OrderStatusChange> recent() {
    return new ArrayList<>(recent);
  }

  /** A stream of the changes from now on, for one page, until it closes or times out. */
  public SseEmitter open() {
    SseEmitter stream = new SseEmitter(settings.streamTimeout().toMillis());
    stream.onCompletion(() -> streams.remove(stream));
    stream.onTimeout(stream::complete);
    stream.onError(failure -> streams.remove(stream));
    try {
      // Sent at once, so the response starts now and the page knows it is connected, however long
      // until the next order changes.
      stream.send(SseEmitter.event().comment("connected"));
    } catch (IOException e) {
      stream.completeWithError(e);
      return stream;
    }
    streams.add(stream);
    return stream;
  }

  /** How many pages are open now. */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Ends every open stream. First of all at shutdown: a stream looks like a request in progress to
   * the web server, whose graceful shutdown would otherwise wait for it until its timeout.
   */
  @Override
  public void stop() {
    running = false;
    for (SseEmitter stream : streams) {
      streams.remove(stream);
      stream.complete();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }

  @Override
  public void onMessage(Message message, byte @Nullable [] pattern) {
    OrderStatusChange.read(new String(message.getBody(), StandardCharsets.UTF_8), json)
        .ifPresent(this::publish);
  }

  void publish(OrderStatusChange change) {
    synchronized (this) {
      recent.addFirst(change);
      while (recent.size() > settings.recent()) {
        recent.removeLast();
      }
    }
    for (SseEmitter stream : streams) {
      try {
        stream.send(
            SseEmitter.event()
                .id(change.messageId())
                .name("status")
                .data(change, MediaType.APPLICATION_JSON));
      } catch (IOException | IllegalStateException e) {
        // The page went away: its stream is finished, the others carry on.
        log.debug("An orders page's stream is gone: {}", e.toString());
        streams.remove(stream);
        stream.completeWithError(e);
      }
    }
  }
}
