package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.spi.ConsumeResult;
import dev.asyncshop.messaging.spi.ConsumerContext;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.ConsumerStepOrder;
import dev.asyncshop.messaging.spi.DecodedMessage;
import dev.asyncshop.messaging.spi.PoisonMessageException;

/** Reads the envelope from the transport's format and finds the route of the message's type. */
final class DeserializeStep implements ConsumerStep {

  private final RouteTable routes;

  DeserializeStep(RouteTable routes) {
    this.routes = routes;
  }

  /**
   * @throws PoisonMessageException if the envelope cannot be read or names a type this service has
   *     no route for
   */
  @Override
  public ConsumeResult process(ConsumerContext context, Chain next) {
    DecodedMessage message = context.delivery().decode();
    context.message(message);
    String type = message.envelope().type();
    Route route = routes.find(type);
    if (route == null) {
      throw new PoisonMessageException(
          "Unknown message type '" + type + "': no route under messaging.routes");
    }
    context.route(route);
    return next.proceed(context);
  }

  @Override
  public int getOrder() {
    return ConsumerStepOrder.DESERIALIZE;
  }
}
