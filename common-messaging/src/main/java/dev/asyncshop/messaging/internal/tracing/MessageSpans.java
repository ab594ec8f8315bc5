package dev.asyncshop.messaging.internal.tracing;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.Transport;
import io.micrometer.tracing.Span;

/**
 * Names and tags of the messaging spans, after OpenTelemetry's messaging conventions: the span is
 * named by operation and destination, and tagged with the broker, the message id and type, and the
 * correlation id, so a trace can be found by any of them.
 */
final class MessageSpans {

  private MessageSpans() {}

  static Span.Builder tag(
      Span.Builder span,
      String operation,
      Transport transport,
      String destination,
      Envelope envelope) {
    span.name(operation + " " + destination)
        .tag("messaging.system", transport.id())
        .tag("messaging.operation.name", operation)
        .tag("messaging.destination.name", destination)
        .tag("messaging.message.id", envelope.id())
        .tag("messaging.message.conversation_id", envelope.correlationId())
        .tag("cloudevents.event_type", envelope.type())
        .remoteServiceName(transport.id());
    if (envelope.subject() != null) {
      span.tag("cloudevents.event_subject", envelope.subject());
    }
    return span;
  }
}
