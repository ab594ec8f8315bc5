/**
 * The consumers' circuit breakers: one per subscription, opened by handlers that keep finding a
 * dependency unavailable, which stop the subscription taking messages until a trial message finds
 * the dependency back.
 */
@NullMarked
package dev.asyncshop.messaging.internal.breaker;

import org.jspecify.annotations.NullMarked;
