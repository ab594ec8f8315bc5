/**
 * Transport-neutral machinery: routes, envelopes, the consumer pipeline, audit and metrics. Public
 * only so the transport packages can use it; services never need it.
 */
@NullMarked
package dev.asyncshop.messaging.core;

import org.jspecify.annotations.NullMarked;
