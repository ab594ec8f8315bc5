package dev.asyncshop.messaging.spi;

import java.util.concurrent.CompletableFuture;
import org.springframework.core.Ordered;

/**
 * One step of every send, wrapped around the steps after it and, last, the transport: whatever
 * leaves the service goes through them, from the gateway, the outbox relay, or as a query's reply.
 * Steps run in the order of {@link #getOrder()}, lowest first; the library's own orders are in
 * {@link PublisherStepOrder}. An application adds a step by declaring a bean of this type.
 *
 * <p>A step may replace the message it passes on (a new envelope or payload); it must return a
 * future that completes when the broker has the message, normally the one {@code next} returned or
 * one derived from it, and must not block.
 */
public interface PublisherStep extends Ordered {

  CompletableFuture<Void> publish(OutboundMessage message, Chain next);

  /** The steps after the current one, and finally the transport. */
  @FunctionalInterface
  interface Chain {

    CompletableFuture<Void> publish(OutboundMessage message);
  }
}
