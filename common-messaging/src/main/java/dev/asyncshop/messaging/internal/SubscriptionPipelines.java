package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.Subscription;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The pipeline of each subscription a transport opens, all running the same steps. */
final class SubscriptionPipelines implements ConsumerPipelines {

  private final RouteTable routes;
  private final HandlerRegistry handlers;
  private final ConsumerSteps steps;
  private final Clock clock;
  private final @Nullable String missingIdempotencyStore;

  /**
   * @param missingIdempotencyStore why the configured idempotency store is not available, or {@code
   *     null} when it is (or none is wanted)
   */
  SubscriptionPipelines(
      RouteTable routes,
      HandlerRegistry handlers,
      ConsumerSteps steps,
      Clock clock,
      @Nullable String missingIdempotencyStore) {
    this.routes = routes;
    this.handlers = handlers;
    this.steps = steps;
    this.clock = clock;
    this.missingIdempotencyStore = missingIdempotencyStore;
  }

  /** The steps every pipeline runs, in order. */
  List<ConsumerStep> steps() {
    return steps.steps();
  }

  /**
   * @throws InvalidRouteException if there is something to consume but the idempotency store the
   *     configuration asks for is missing
   */
  @Override
  public List<ConsumerPipeline> forTransport(Transport transport) {
    List<Subscription> subscriptions = handlers.subscriptions(routes, transport);
    boolean needsStore = subscriptions.stream().anyMatch(Subscription::deduplicated);
    if (needsStore && missingIdempotencyStore != null) {
      throw new InvalidRouteException(missingIdempotencyStore);
    }
    return subscriptions.stream()
        .<ConsumerPipeline>map(
            subscription -> new SubscriptionPipeline(subscription, steps.chain(), clock))
        .toList();
  }

  @Override
  public List<ConsumerPipeline> projections() {
    return handlers.projectionSubscriptions(routes).stream()
        .<ConsumerPipeline>map(
            subscription -> new SubscriptionPipeline(subscription, steps.chain(), clock))
        .toList();
  }
}
