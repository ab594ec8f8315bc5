package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.OutboundMessage;
import dev.asyncshop.messaging.spi.PublisherStep;
import dev.asyncshop.messaging.spi.PublisherStepOrder;
import java.util.concurrent.CompletableFuture;

/** Counts every send by transport, destination, type and outcome once the broker answered. */
final class CountPublishedStep implements PublisherStep {

  private final MessagingMetrics metrics;

  CountPublishedStep(MessagingMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public CompletableFuture<Void> publish(OutboundMessage message, Chain next) {
    Route route = message.route();
    return next.publish(message)
        .whenComplete(
            (sent, failure) ->
                metrics.published(
                    route.transport().id(),
                    route.destination(),
                    route.type(),
                    failure == null ? "success" : "failure"));
  }

  @Override
  public int getOrder() {
    return PublisherStepOrder.METRICS;
  }
}
