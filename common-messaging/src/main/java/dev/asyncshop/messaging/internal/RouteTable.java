package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The validated routes of a service. Construction fails for routes that cannot keep their kind's
 * guarantees, so a wrong binding stops start-up instead of losing messages later.
 */
public final class RouteTable {

  private final Map<String, Route> routesByType = new LinkedHashMap<>();

  public RouteTable(
      List<Route> routes, String destinationPrefix, Set<Transport> availableTransports) {
    for (Route configured : routes) {
      validate(configured, availableTransports);
      Route route =
          new Route(
              configured.type(),
              configured.kind(),
              configured.transport(),
              destinationPrefix + configured.destination(),
              configured.retry(),
              configured.timeout(),
              configured.encrypt(),
              configured.compacted(),
              configured.retention());
      if (routesByType.putIfAbsent(route.type(), route) != null) {
        throw new InvalidRouteException(
            "Message type '" + route.type() + "' has two routes under messaging.routes; keep one.");
      }
    }
    requireOneTopicSetting();
  }

  /** A topic is created once, so the routes that share it must agree on how it is kept. */
  private void requireOneTopicSetting() {
    Map<String, Route> firstOfTopic = new LinkedHashMap<>();
    for (Route route : routesByType.values()) {
      if (route.transport() != Transport.KAFKA) {
        continue;
      }
      Route first = firstOfTopic.putIfAbsent(route.destination(), route);
      if (first != null
          && (first.compacted() != route.compacted()
              || !Objects.equals(first.retention(), route.retention()))) {
        throw new InvalidRouteException(
            ("Routes '%s' and '%s' share topic '%s' but keep it differently (compacted %s and %s,"
                    + " retention %s and %s); give every route of a topic the same compacted and"
                    + " retention.")
                .formatted(
                    first.type(),
                    route.type(),
                    route.destination(),
                    first.compacted(),
                    route.compacted(),
                    first.retention(),
                    route.retention()));
      }
    }
  }

  @SuppressWarnings("ConstantValue") // bound from configuration, where anything may be missing
  private static void validate(Route route, Set<Transport> availableTransports) {
    if (route.type() == null || route.type().isBlank()) {
      throw new InvalidRouteException(
          "A route under messaging.routes has no type; name the message type it routes, such as"
              + " order.placed.v1.");
    }
    if (route.kind() == null) {
      throw new InvalidRouteException(
          "Route '%s' has no kind; set it to event, command, query or broadcast."
              .formatted(route.type()));
    }
    if (route.kind() == MessageKind.REPLY) {
      throw new InvalidRouteException(
          ("Route '%s' has kind reply, but replies need no route: they go back to the asker of"
                  + " their query. Route the query (kind query) instead.")
              .formatted(route.type()));
    }
    Transport transport = route.transport();
    Transport expected = Transport.of(route.kind());
    if (transport == Transport.REDIS && route.kind() != MessageKind.BROADCAST) {
      throw new InvalidRouteException(
          ("Route '%s' binds a %s to Redis pub/sub. Redis pub/sub delivers at most once and drops"
                  + " messages when no subscriber is connected, so a %s sent there can be lost"
                  + " without anyone knowing. Use %s for a %s; keep redis for broadcasts that may"
                  + " be lost.")
              .formatted(
                  route.type(),
                  kindName(route.kind()),
                  kindName(route.kind()),
                  expected,
                  kindName(route.kind())));
    }
    if (transport != expected) {
      throw new InvalidRouteException(
          "Route '%s' sends a %s over %s; a %s goes over %s (leave the transport out to get it)."
              .formatted(
                  route.type(),
                  kindName(route.kind()),
                  transport,
                  kindName(route.kind()),
                  expected));
    }
    if (!availableTransports.contains(transport)) {
      throw new InvalidRouteException(
          ("Route '%s' uses %s, but no %s client is configured; add %s to the service, and"
                  + " leave messaging.%s.enabled unset or true (false switches the transport off).")
              .formatted(route.type(), transport, transport, starterOf(transport), transport.id()));
    }
    if (route.destination() == null || route.destination().isBlank()) {
      throw new InvalidRouteException("Route '" + route.type() + "' has no destination.");
    }
    if ((route.compacted() || route.retention() != null) && transport != Transport.KAFKA) {
      throw new InvalidRouteException(
          ("Route '%s' sets compacted or retention, which only a Kafka topic has; leave them out of"
                  + " a %s route.")
              .formatted(route.type(), transport));
    }
  }

  private static String kindName(MessageKind kind) {
    return kind.name().toLowerCase();
  }

  private static String starterOf(Transport transport) {
    return switch (transport) {
      case KAFKA -> "spring-boot-starter-kafka";
      case RABBITMQ -> "spring-boot-starter-amqp";
      case REDIS -> "spring-boot-starter-data-redis";
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
              + "'; add it under messaging.routes with its kind and destination.");
    }
    return route;
  }

  public Collection<Route> all() {
    return routesByType.values();
  }
}
