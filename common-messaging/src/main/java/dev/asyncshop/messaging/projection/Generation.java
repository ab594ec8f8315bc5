package dev.asyncshop.messaging.projection;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One version of a projection's read model.
 *
 * @param number 1 for the first, each rebuild one more
 * @param state where it is in its life
 * @param schema the database schema that holds its tables
 * @param requestedAt when it was asked for
 * @param requestedBy who asked for it: an operator, or the engine (first start, changed script)
 * @param switchedAt when readers were switched over to it
 * @param events records read from its topics so far (applied, ignored or parked)
 * @param lag records on its topics not read yet; {@code null} when Kafka could not say
 */
public record Generation(
    int number,
    GenerationState state,
    String schema,
    Instant requestedAt,
    String requestedBy,
    @Nullable Instant switchedAt,
    long events,
    @Nullable Long lag) {}
