/**
 * The public API of common-messaging: declare routes under {@code messaging.*} ({@link
 * dev.asyncshop.messaging.MessagingProperties}), send through {@link
 * dev.asyncshop.messaging.MessageGateway} or, in a transaction, {@link
 * dev.asyncshop.messaging.Outbox}, handle with {@link dev.asyncshop.messaging.HandleMessage};
 * {@link dev.asyncshop.messaging.BrokerConnectivity} tells whether the brokers can be reached.
 * Everything else happens around the handler. Extension points are in {@code
 * dev.asyncshop.messaging.spi}; nothing else of the library is meant to be used.
 */
@NullMarked
package dev.asyncshop.messaging;

import org.jspecify.annotations.NullMarked;
