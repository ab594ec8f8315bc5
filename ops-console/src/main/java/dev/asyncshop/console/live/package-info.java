/**
 * Orders flowing live: order-service's status broadcast, taken from Redis and passed on to every
 * open orders page as server-sent events.
 */
@NullMarked
package dev.asyncshop.console.live;

import org.jspecify.annotations.NullMarked;
