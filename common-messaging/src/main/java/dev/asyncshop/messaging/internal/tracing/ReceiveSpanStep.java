package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.RejectedMessageException;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * Starts a consumer span for each received message as a child of the sender's span (the envelope's
 * {@code traceparent}) and keeps it current while the handler runs, so whatever the handler sends,
 * and every log line it writes, belongs to the same trace; the correlation id goes into the MDC
 * beside the trace and span ids.
 *
 * <p>A child, not a link: every consumer here handles one message at a time, so each consumer span
 * has exactly one cause and its sender is its parent. A link would be right for a span that covers
 * many messages at once (a batch listener, an aggregation), which has no single parent.
 *
 * <p>Retries show as events of this span, a rejection as its error and a {@code dead-lettered}
 * event; a replayed dead letter keeps its envelope, so its new consumer span joins the original
 * trace.
 */
final class ReceiveSpanStep implements ConsumerStep {

  /** The MDC key of the correlation id, for {@code logging.pattern.correlation}. */
  static final String CORRELATION_ID = "correlationId";

  private final TraceContexts traces;

  ReceiveSpanStep(TraceContexts traces) {
    this.traces = traces;
  }

  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    Envelope envelope = context.envelope();
    if (envelope == null) {
      return next.proceed(context);
    }
    Span span =
        MessageSpans.tag(
                traces.childOf(envelope).kind(Span.Kind.CONSUMER),
                "process",
                context.subscription().transport(),
                context.subscription().destination(),
                envelope)
            .tag("messaging.consumer.group.name", context.subscription().group())
            .startTimestamp(context.received().toEpochMilli(), TimeUnit.MILLISECONDS)
            .start();
    try (Tracer.SpanInScope scope = traces.tracer().withSpan(span);
        MDC.MDCCloseable correlation = MDC.putCloseable(CORRELATION_ID, envelope.correlationId())) {
      ConsumeResult result = next.proceed(context);
      span.tag("messaging.outcome", result.getClass().getSimpleName().toLowerCase(Locale.ROOT));
      return result;
    } catch (RejectedMessageException rejected) {
      span.tag("messaging.dead_letter.reason", rejected.reason().name())
          .event("dead-lettered: " + rejected.reason().name())
          .error(rejected.failure());
      throw rejected;
    } catch (RuntimeException | Error e) {
      span.error(e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.TRACING_SPAN;
  }
}
