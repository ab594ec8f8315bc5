package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.MessageHandler;
import dev.asyncshop.messaging.spi.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every handler of the application, grouped into subscriptions by destination and group. */
final class HandlerRegistry {

  private final List<HandlerMethod> handlers = new CopyOnWriteArrayList<>();

  void register(HandlerMethod handler) {
    handlers.add(handler);
  }

  /**
   * The subscriptions the given transport must open, validated against the routes; not the
   * projections', which their engine opens.
   */
  List<Subscription> subscriptions(RouteTable routes, Transport transport) {
    return subscriptions(routes, transport, false);
  }

  /** The subscriptions of the projections' handlers, one per projection and topic. */
  List<Subscription> projectionSubscriptions(RouteTable routes) {
    return subscriptions(routes, Transport.KAFKA, true);
  }

  private List<Subscription> subscriptions(
      RouteTable routes, Transport transport, boolean projections) {
    record Key(String destination, String group, boolean table) {}
    Map<Key, Map<String, MessageHandler>> grouped = new LinkedHashMap<>();
    for (HandlerMethod handler : handlers) {
      Route route = routes.get(handler.type());
      if (handler.table()
          && (route.transport() != Transport.KAFKA || route.kind() != MessageKind.EVENT)) {
        throw new InvalidRouteException(
            ("%s keeps a table from %s, which is routed as a %s over %s; a table is read from a"
                    + " Kafka topic of events (kind event), best a compacted one.")
                .formatted(handler, handler.type(), route.kind(), route.transport()));
      }
      if (handler.projection()
          && (route.transport() != Transport.KAFKA || route.kind() != MessageKind.EVENT)) {
        throw new InvalidRouteException(
            ("%s is part of projection '%s' and handles %s, which is routed as a %s over %s; a"
                    + " projection is rebuilt by reading its topics again, so it reads Kafka topics"
                    + " of events (kind event) only.")
                .formatted(
                    handler, handler.group(), handler.type(), route.kind(), route.transport()));
      }
      if (handler.projection() && !route.keptForever()) {
        throw new InvalidRouteException(
            ("%s is part of projection '%s' and reads topic %s, which does not keep its records"
                    + " forever: a rebuild from its first record would miss what the topic dropped,"
                    + " and replace the read model with a part of it. Give the route of %s"
                    + " retention: -1.")
                .formatted(handler, handler.group(), route.destination(), handler.type()));
      }
      if (route.transport() != transport || handler.projection() != projections) {
        continue;
      }
      Map<String, MessageHandler> byType =
          grouped.computeIfAbsent(
              new Key(route.destination(), handler.group(), handler.table()), k -> new HashMap<>());
      MessageHandler previous = byType.putIfAbsent(handler.type(), handler);
      if (previous != null) {
        throw new InvalidRouteException(
            "Both %s and %s handle %s for group %s; one handler per type and group."
                .formatted(previous, handler, handler.type(), handler.group()));
      }
    }
    if (transport == Transport.RABBITMQ) {
      Map<String, String> groupOfQueue = new HashMap<>();
      for (Key key : grouped.keySet()) {
        String other = groupOfQueue.putIfAbsent(key.destination(), key.group());
        if (other != null) {
          throw new InvalidRouteException(
              ("Queue '%s' is consumed by groups %s and %s. A queue delivers each message to one"
                      + " consumer, so each group would see the other's messages as unhandled;"
                      + " give each group its own queue.")
                  .formatted(key.destination(), other, key.group()));
        }
      }
    }
    List<Subscription> subscriptions = new ArrayList<>();
    grouped.forEach(
        (key, byType) ->
            subscriptions.add(
                new Subscription(
                    transport, key.destination(), key.group(), byType, key.table(), projections)));
    return subscriptions;
  }
}
