package dev.asyncshop.messaging.projection;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka record as a projection reads it from a topic whose records are not messages (no envelope,
 * no signature), such as the audit trail.
 *
 * @param topic where it was read
 * @param partition its partition
 * @param offset its place in the partition, unique with the topic and partition
 * @param key its key, if any
 * @param value its value as sent
 * @param timestamp the record's timestamp
 */
public record RawRecord(
    String topic,
    int partition,
    long offset,
    @Nullable String key,
    byte[] value,
    Instant timestamp) {}
