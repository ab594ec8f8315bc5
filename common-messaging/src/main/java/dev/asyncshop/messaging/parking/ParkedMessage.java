package dev.asyncshop.messaging.parking;

import dev.asyncshop.messaging.Envelope;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One parked message, whole.
 *
 * @param summary what a list shows of it
 * @param envelope its CloudEvents attributes, or {@code null} when they could not be read
 * @param payload its payload as text (JSON); {@code null} when encrypted (see {@link
 *     ParkedSummary#encrypted()}) or not text
 * @param headers every header (or stream field) it was dead-lettered with, the dead-letter headers
 *     included
 * @param stackSummary the first frames of the last exception
 * @param firstFailure when it first failed
 */
public record ParkedMessage(
    ParkedSummary summary,
    @Nullable Envelope envelope,
    @Nullable String payload,
    Map<String, String> headers,
    @Nullable String stackSummary,
    @Nullable Instant firstFailure) {}
