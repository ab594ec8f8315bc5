package dev.asyncshop.messaging.core;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds the pipeline of each subscription a transport opens. */
public final class ConsumerPipelines {

  private final RouteTable routes;
  private final HandlerRegistry handlers;
  private final MessagingMetrics metrics;
  private final @Nullable String missingIdempotencyStore;
  private final Function<Subscription, ConsumerPipeline> pipelineOf;

  /**
   * @param missingIdempotencyStore why the configured idempotency store is not available, or {@code
   *     null} when it is (or none is wanted)
   * @param pipelineOf makes the pipeline of one subscription
   */
  public ConsumerPipelines(
      RouteTable routes,
      HandlerRegistry handlers,
      MessagingMetrics metrics,
      @Nullable String missingIdempotencyStore,
      Function<Subscription, ConsumerPipeline> pipelineOf) {
    this.routes = routes;
    this.handlers = handlers;
    this.metrics = metrics;
    this.missingIdempotencyStore = missingIdempotencyStore;
    this.pipelineOf = pipelineOf;
  }

  /**
   * One pipeline per subscription the given transport must open.
   *
   * @throws InvalidRouteException if there is something to consume but the idempotency store the
   *     configuration asks for is missing
   */
  public List<ConsumerPipeline> forTransport(String transport) {
    List<Subscription> subscriptions = handlers.subscriptions(routes, transport);
    if (!subscriptions.isEmpty() && missingIdempotencyStore != null) {
      throw new InvalidRouteException(missingIdempotencyStore);
    }
    return subscriptions.stream().map(pipelineOf).toList();
  }

  public RouteTable routes() {
    return routes;
  }

  public MessagingMetrics metrics() {
    return metrics;
  }
}
