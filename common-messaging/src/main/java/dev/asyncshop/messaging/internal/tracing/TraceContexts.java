package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Moves a trace context in and out of an envelope's {@code traceparent} with the application's
 * {@link Propagator}, so the envelope carries whatever W3C context the tracer itself would put on
 * an HTTP request.
 */
final class TraceContexts {

  private final Tracer tracer;
  private final Propagator propagator;

  TraceContexts(Tracer tracer, Propagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  Tracer tracer() {
    return tracer;
  }

  /** The W3C {@code traceparent} of the span current on this thread, or {@code null}. */
  @Nullable String currentTraceparent() {
    Span current = tracer.currentSpan();
    return current == null ? null : traceparentOf(current.context());
  }

  @Nullable String traceparentOf(TraceContext context) {
    Map<String, String> carrier = new HashMap<>();
    propagator.inject(context, carrier, Map::put);
    return carrier.get(CloudEventAttributes.TRACEPARENT);
  }

  /**
   * A span builder whose parent is the envelope's trace context; with no {@code traceparent}, the
   * span current on this thread, if any, is the parent.
   */
  Span.Builder childOf(Envelope envelope) {
    Map<String, String> carrier = new HashMap<>();
    if (envelope.traceparent() != null) {
      carrier.put(CloudEventAttributes.TRACEPARENT, envelope.traceparent());
    }
    return propagator.extract(carrier, Map::get);
  }
}
