package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.IdempotencyStore;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Builds the pipeline of each subscription a transport opens. */
public final class ConsumerPipelines {

  private final RouteTable routes;
  private final HandlerRegistry handlers;
  private final @Nullable IdempotencyStore idempotency;
  private final String configuredStore;
  private final RetryTemplates retries;
  private final PayloadCodec codec;
  private final AuditTrail audit;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final Clock clock;

  public ConsumerPipelines(
      RouteTable routes,
      HandlerRegistry handlers,
      @Nullable IdempotencyStore idempotency,
      String configuredStore,
      RetryTemplates retries,
      PayloadCodec codec,
      AuditTrail audit,
      MessagingMetrics metrics,
      String serviceName,
      Clock clock) {
    this.routes = routes;
    this.handlers = handlers;
    this.idempotency = idempotency;
    this.configuredStore = configuredStore;
    this.retries = retries;
    this.codec = codec;
    this.audit = audit;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.clock = clock;
  }

  /** One pipeline per subscription the given transport must open. */
  public List<ConsumerPipeline> forTransport(String transport) {
    List<Subscription> subscriptions = handlers.subscriptions(routes, transport);
    if (!subscriptions.isEmpty() && idempotency == null && !"none".equals(configuredStore)) {
      throw new InvalidRouteException(
          ("messaging.idempotency.store is '%s' but no such store is available (%s); add it, or"
                  + " set the store to 'none' to let redelivered messages run their handler again.")
              .formatted(
                  configuredStore,
                  "jdbc".equals(configuredStore)
                      ? "the jdbc store needs a DataSource"
                      : "the redis store needs spring-boot-starter-data-redis"));
    }
    return subscriptions.stream()
        .map(
            subscription ->
                new ConsumerPipeline(
                    subscription,
                    routes,
                    idempotency,
                    retries,
                    codec,
                    audit,
                    metrics,
                    serviceName,
                    clock))
        .toList();
  }

  public RouteTable routes() {
    return routes;
  }

  public MessagingMetrics metrics() {
    return metrics;
  }
}
