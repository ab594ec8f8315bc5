package dev.asyncshop.messaging.spi;

import dev.asyncshop.messaging.Transport;
import java.util.List;

/**
 * The pipelines of the application's handlers, one per subscription (destination and consumer
 * group). A transport asks for its own when it starts, opens one consumer per pipeline, and hands
 * every message it takes to that pipeline.
 */
public interface ConsumerPipelines {

  /**
   * One pipeline per subscription the given transport must open; empty when the application handles
   * nothing routed over it.
   *
   * @throws IllegalStateException (at start-up) if the subscriptions cannot work, for example
   *     because the configured idempotency store is missing
   */
  List<ConsumerPipeline> forTransport(Transport transport);

  /**
   * The pipelines of the projections' handlers ({@link
   * dev.asyncshop.messaging.HandleMessage#projection()}), one per projection and topic, which no
   * transport opens: the projection engine reads their topics itself. Not among {@link
   * #forTransport}.
   */
  default List<ConsumerPipeline> projections() {
    return List.of();
  }
}
