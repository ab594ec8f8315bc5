/**
 * The library's machinery: routes, envelopes, the consumer pipeline, audit and metrics, and one
 * sub-package per transport. Not an API: types are public only where a transport package needs
 * them, and may change at any time. Applications use {@code dev.asyncshop.messaging}, and extend
 * the library through {@code dev.asyncshop.messaging.spi}.
 */
@NullMarked
package dev.asyncshop.messaging.internal;

import org.jspecify.annotations.NullMarked;
