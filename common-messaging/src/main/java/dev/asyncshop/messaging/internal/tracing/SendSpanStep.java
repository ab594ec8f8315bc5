package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;

/**
 * Starts a producer span for each send, a child of the trace context the envelope was made in (the
 * request, the handled message, or the transaction that wrote an outbox row), and puts the span's
 * own context in the envelope, so the consumer's span becomes its child. The span ends when the
 * broker answered. It runs before signing, so the signature covers the {@code traceparent} it sets.
 * While the send runs, the log lines it writes carry the message's correlation id.
 */
final class SendSpanStep implements PublisherStep {

  private final TraceContexts traces;

  SendSpanStep(TraceContexts traces) {
    this.traces = traces;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    Envelope envelope = message.envelope();
    Span span =
        MessageSpans.tag(
                traces.childOf(envelope).kind(Span.Kind.PRODUCER),
                "send",
                message.route().transport(),
                message.route().destination(),
                envelope)
            .start();
    OutboundMessage traced =
        new OutboundMessage(
            message.route(),
            envelope.withTraceparent(traces.traceparentOf(span.context())),
            message.data());
    CompletableFuture<Void> sent;
    try (Tracer.SpanInScope scope = traces.tracer().withSpan(span);
        MDC.MDCCloseable correlation =
            MDC.putCloseable(ReceiveSpanStep.CORRELATION_ID, envelope.correlationId())) {
      sent = next.publish(traced);
    } catch (RuntimeException e) {
      span.error(e).end();
      throw e;
    }
    return sent.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            span.error(failure);
          }
          span.end();
        });
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.TRACING_SPAN;
  }
}
