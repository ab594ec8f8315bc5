package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.spi.EnvelopeFactory;

/**
 * Stamps each new envelope with the trace context of the code that creates it: the HTTP request's
 * span, or the consumer span of the message being handled. The outbox stores the envelope as it is
 * made, so its relay later sends the row as part of the writer's trace rather than its own
 * thread's. With no span current a message starts a trace of its own when sent; a reply made
 * outside the query's span continues the query's trace.
 */
final class TracingEnvelopeFactory implements EnvelopeFactory {

  private final EnvelopeFactory delegate;
  private final TraceContexts traces;

  TracingEnvelopeFactory(EnvelopeFactory delegate, TraceContexts traces) {
    this.delegate = delegate;
    this.traces = traces;
  }

  @Override
  public Envelope create(String type, MessageOptions options) {
    return delegate.create(type, options).withTraceparent(traces.currentTraceparent());
  }

  @Override
  public Envelope reply(Envelope query, String replyType, String dataContentType) {
    String current = traces.currentTraceparent();
    return delegate
        .reply(query, replyType, dataContentType)
        .withTraceparent(current != null ? current : query.traceparent());
  }
}
