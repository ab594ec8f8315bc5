package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.util.Locale;

/** The transport a route's messages travel on, as the document describes it. */
enum Wire {
  KAFKA,
  RABBITMQ,
  REDIS;

  /**
   * The only place that reads a route's transport: named in the route, or else the one its kind
   * travels on (events on Kafka, commands and queries on RabbitMQ, broadcasts on Redis).
   */
  static Wire of(Route route) {
    String named = String.valueOf((Object) route.transport());
    if (named.equals("null") || named.isBlank()) {
      return route.kind() == MessageKind.EVENT
          ? KAFKA
          : route.kind() == MessageKind.BROADCAST ? REDIS : RABBITMQ;
    }
    return valueOf(named.toUpperCase(Locale.ROOT));
  }

  /** As routes name it: kafka, rabbitmq, redis. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
