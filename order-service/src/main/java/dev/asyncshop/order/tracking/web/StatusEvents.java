package dev.asyncshop.order.tracking.web;

import dev.asyncshop.order.TimelineEntry;
import dev.asyncshop.order.tracking.OrderStreams;
import dev.asyncshop.order.tracking.StatusSink;
import java.io.IOException;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An order's live stream as server-sent events: each step an event named {@code status} with the
 * step's number as id (so {@code Last-Event-ID} resumes), a comment to keep it alive.
 */
final class StatusEvents implements StatusSink {

  private final SseEmitter emitter;

  private StatusEvents(SseEmitter emitter) {
    this.emitter = emitter;
  }

  /**
   * Opens the order's stream and ties it to an emitter: when the client goes away or the stream
   * times out, tracking stops sending to it.
   */
  static SseEmitter open(OrderStreams streams, UUID orderId, long lastEventId) {
    SseEmitter emitter = new SseEmitter(streams.streamTimeout().toMillis());
    OrderStreams.Subscription subscription =
        streams.open(orderId, lastEventId, new StatusEvents(emitter));
    emitter.onCompletion(subscription::close);
    emitter.onError(failure -> subscription.close());
    emitter.onTimeout(
        () -> {
          subscription.close();
          emitter.complete();
        });
    return emitter;
  }

  @Override
  public void send(long seq, TimelineEntry step) throws IOException {
    emitter.send(
        SseEmitter.event()
            .id(Long.toString(seq))
            .name("status")
            .data(step, MediaType.APPLICATION_JSON));
  }

  @Override
  public void keepAlive() throws IOException {
    emitter.send(SseEmitter.event().comment("keep-alive"));
  }

  @Override
  public void complete() {
    emitter.complete();
  }
}
