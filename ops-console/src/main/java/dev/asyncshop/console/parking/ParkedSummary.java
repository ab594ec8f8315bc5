package dev.asyncshop.console.parking;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One parked message as a service lists it. */
record ParkedSummary(
    String id,
    String state,
    String transport,
    String destination,
    @Nullable String group,
    @Nullable String deadLetters,
    boolean security,
    String reason,
    @Nullable String exceptionClass,
    @Nullable String exceptionMessage,
    int attempts,
    @Nullable Instant lastFailure,
    Instant parkedAt,
    @Nullable String messageId,
    @Nullable String type,
    @Nullable String correlationId,
    boolean encrypted,
    @Nullable Lineage lineage) {}
