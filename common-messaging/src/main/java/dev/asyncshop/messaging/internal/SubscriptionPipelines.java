package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.Subscription;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds the pipeline of each subscription a transport opens. */
final class SubscriptionPipelines implements ConsumerPipelines {

  private final RouteTable routes;
  private final HandlerRegistry handlers;
  private final @Nullable String missingIdempotencyStore;
  private final Function<Subscription, ConsumerPipeline> pipelineOf;

  /**
   * @param missingIdempotencyStore why the configured idempotency store is not available, or {@code
   *     null} when it is (or none is wanted)
   * @param pipelineOf makes the pipeline of one subscription
   */
  SubscriptionPipelines(
      RouteTable routes,
      HandlerRegistry handlers,
      @Nullable String missingIdempotencyStore,
      Function<Subscription, ConsumerPipeline> pipelineOf) {
    this.routes = routes;
    this.handlers = handlers;
    this.missingIdempotencyStore = missingIdempotencyStore;
    this.pipelineOf = pipelineOf;
  }

  /**
   * @throws InvalidRouteException if there is something to consume but the idempotency store the
   *     configuration asks for is missing
   */
  @Override
  public List<ConsumerPipeline> forTransport(Transport transport) {
    List<Subscription> subscriptions = handlers.subscriptions(routes, transport);
    if (!subscriptions.isEmpty() && missingIdempotencyStore != null) {
      throw new InvalidRouteException(missingIdempotencyStore);
    }
    return subscriptions.stream().map(pipelineOf).toList();
  }
}
