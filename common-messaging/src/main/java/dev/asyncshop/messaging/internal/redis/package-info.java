/** Broadcasts on Redis pub/sub, dead letters on Redis Streams, and the Redis idempotency store. */
@NullMarked
package dev.asyncshop.messaging.internal.redis;

import org.jspecify.annotations.NullMarked;
