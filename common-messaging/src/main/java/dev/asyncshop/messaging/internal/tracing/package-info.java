/**
 * Spans around every send and receive, when the application has a Micrometer {@code Tracer}: the
 * envelope's {@code traceparent} is the W3C context of the span that sent it, and the consumer's
 * span continues it.
 */
@NullMarked
package dev.asyncshop.messaging.internal.tracing;

import org.jspecify.annotations.NullMarked;
