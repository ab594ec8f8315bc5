/**
 * The public API of common-messaging: declare routes under {@code messaging.*}, publish through
 * {@link dev.asyncshop.messaging.MessageGateway}, handle with {@link
 * dev.asyncshop.messaging.HandleMessage}. Everything else happens around the handler.
 */
@NullMarked
package dev.asyncshop.messaging;

import org.jspecify.annotations.NullMarked;
