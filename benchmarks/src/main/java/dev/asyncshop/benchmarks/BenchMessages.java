package dev.asyncshop.benchmarks;

import dev.asyncshop.messaging.MessageType;

/**
 * The messages of the transport benchmarks: the same JSON on both sides (about 200 bytes), carrying
 * the phase and the send time so the handler can measure publish-to-handle latency.
 */
public final class BenchMessages {

  /** About 200 bytes of JSON in all, like a small domain message. */
  static final String BODY = "x".repeat(150);

  private BenchMessages() {}

  /** What the raw clients send: the same fields as the library's records. */
  public record RawMessage(int phase, long sentNanos, String body) {}

  @MessageType("bench.command.v1")
  public record BenchCommand(int phase, long sentNanos, String body) {}

  @MessageType("bench.event.v1")
  public record BenchEvent(int phase, long sentNanos, String body) {}

  @MessageType("bench.notice.v1")
  public record BenchNotice(int phase, long sentNanos, String body) {}
}
