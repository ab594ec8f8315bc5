package dev.asyncshop.console.parking;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One parked message, whole.
 *
 * @param payload its JSON payload; {@code null} when encrypted or not text
 */
record ParkedMessage(
    ParkedSummary summary,
    @Nullable Envelope envelope,
    @Nullable String payload,
    @Nullable Map<String, String> headers,
    @Nullable String stackSummary,
    @Nullable Instant firstFailure) {}
