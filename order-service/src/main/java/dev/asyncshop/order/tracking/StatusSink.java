package dev.asyncshop.order.tracking;

import dev.asyncshop.order.TimelineEntry;
import java.io.IOException;

/**
 * Where one client's live stream of an order goes. Tracking decides what to send and when; the web
 * layer decides how it travels (server-sent events).
 */
public interface StatusSink {

  /**
   * Sends one step of the order's timeline.
   *
   * @param seq the step's place in the timeline, from which a client resumes
   * @throws IOException when the client went away
   */
  void send(long seq, TimelineEntry step) throws IOException;

  /**
   * Tells the client the stream is alive though nothing is new; also how a closed client is found.
   */
  void keepAlive() throws IOException;

  /** The order has ended, or the stream was given up: nothing more follows. */
  void complete();
}
