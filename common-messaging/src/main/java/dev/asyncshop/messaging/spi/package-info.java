/**
 * Extension points of common-messaging: what a transport implements ({@link
 * dev.asyncshop.messaging.spi.OutboundTransport}, {@link
 * dev.asyncshop.messaging.spi.RequestReplyTransport}, {@link
 * dev.asyncshop.messaging.spi.InboundDelivery} handed to a {@link
 * dev.asyncshop.messaging.spi.ConsumerPipeline}, a {@link
 * dev.asyncshop.messaging.spi.BrokerCheck}), and the pieces an application may replace by declaring
 * a bean of the type: {@link dev.asyncshop.messaging.spi.IdempotencyStore}, {@link
 * dev.asyncshop.messaging.spi.AuditSink}, {@link dev.asyncshop.messaging.spi.PayloadCodec}, {@link
 * dev.asyncshop.messaging.spi.EnvelopeFactory}.
 */
@NullMarked
package dev.asyncshop.messaging.spi;

import org.jspecify.annotations.NullMarked;
