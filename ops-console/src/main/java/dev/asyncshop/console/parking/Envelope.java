package dev.asyncshop.console.parking;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A parked message's CloudEvents attributes. */
record Envelope(
    String id,
    String source,
    String type,
    @Nullable Instant time,
    @Nullable String subject,
    @Nullable String dataContentType,
    @Nullable String correlationId,
    @Nullable String causationId,
    @Nullable String traceparent,
    @Nullable String partitionKey,
    @Nullable Map<String, String> extensions) {}
