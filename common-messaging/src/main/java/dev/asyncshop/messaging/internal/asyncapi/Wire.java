package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.MessagingProperties.Route;
import java.util.Locale;

/** The transport a route's messages travel on, as the document describes it. */
enum Wire {
  KAFKA,
  RABBITMQ,
  REDIS;

  /** The transport of the route: named in it, or else the one its kind travels on. */
  static Wire of(Route route) {
    return valueOf(route.transport().name());
  }

  /** As routes name it: kafka, rabbitmq, redis. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
