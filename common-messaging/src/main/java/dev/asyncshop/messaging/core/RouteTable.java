package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The validated routes of a service. Construction fails for routes that cannot keep their kind's
 * guarantees, so a wrong binding stops start-up instead of losing messages later.
 */
public final class RouteTable {

  /** The transports each kind may use, and why. */
  private static final Map<MessageKind, String> TRANSPORT_OF_KIND =
      Map.of(
          MessageKind.EVENT, Transports.KAFKA,
          MessageKind.COMMAND, Transports.RABBITMQ,
          MessageKind.QUERY, Transports.RABBITMQ,
          MessageKind.BROADCAST, Transports.REDIS);

  private final Map<String, Route> routesByType = new LinkedHashMap<>();

  public RouteTable(List<Route> routes, String destinationPrefix, Set<String> availableTransports) {
    for (Route configured : routes) {
      validate(configured, availableTransports);
      Route route =
          new Route(
              configured.type(),
              configured.kind(),
              configured.transport(),
              destinationPrefix + configured.destination(),
              configured.retry(),
              configured.timeout());
      if (routesByType.putIfAbsent(route.type(), route) != null) {
        throw new InvalidRouteException(
            "Message type '" + route.type() + "' has two routes under messaging.routes; keep one.");
      }
    }
  }

  private static void validate(Route route, Set<String> availableTransports) {
    String transport = route.transport();
    if (!Transports.ALL.contains(transport)) {
      throw new InvalidRouteException(
          "Route '%s' names transport '%s', which does not exist; use one of %s."
              .formatted(route.type(), transport, Transports.ALL));
    }
    if (transport.equals(Transports.REDIS) && route.kind() != MessageKind.BROADCAST) {
      throw new InvalidRouteException(
          ("Route '%s' binds a %s to Redis pub/sub. Redis pub/sub delivers at most once and drops"
                  + " messages when no subscriber is connected, so a %s sent there can be lost"
                  + " without anyone knowing. Use %s for a %s; keep redis for broadcasts that may"
                  + " be lost.")
              .formatted(
                  route.type(),
                  kindName(route.kind()),
                  kindName(route.kind()),
                  TRANSPORT_OF_KIND.get(route.kind()),
                  kindName(route.kind())));
    }
    String expected = TRANSPORT_OF_KIND.get(route.kind());
    if (!transport.equals(expected)) {
      throw new InvalidRouteException(
          "Route '%s' sends a %s over %s; a %s goes over %s."
              .formatted(
                  route.type(),
                  kindName(route.kind()),
                  transport,
                  kindName(route.kind()),
                  expected));
    }
    if (!availableTransports.contains(transport)) {
      throw new InvalidRouteException(
          "Route '%s' uses %s, but no %s client is configured; add %s to the service."
              .formatted(route.type(), transport, transport, starterOf(transport)));
    }
    if (route.destination() == null || route.destination().isBlank()) {
      throw new InvalidRouteException("Route '" + route.type() + "' has no destination.");
    }
  }

  private static String kindName(MessageKind kind) {
    return kind.name().toLowerCase();
  }

  private static String starterOf(String transport) {
    return switch (transport) {
      case Transports.KAFKA -> "spring-boot-starter-kafka";
      case Transports.RABBITMQ -> "spring-boot-starter-amqp";
      default -> "spring-boot-starter-data-redis";
    };
  }

  /** The route of a type, or {@code null} when this service knows no such type. */
  public @Nullable Route find(String type) {
    return routesByType.get(type);
  }

  /** The route of a type; fails with a message naming the missing configuration. */
  public Route get(String type) {
    Route route = routesByType.get(type);
    if (route == null) {
      throw new InvalidRouteException(
          "No route for message type '"
              + type
              + "'; add it under messaging.routes with its kind, transport and destination.");
    }
    return route;
  }

  public Collection<Route> all() {
    return routesByType.values();
  }
}
