package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The gauge {@value #SIZE}: messages waiting in the parking lot for an operator, by transport,
 * destination and whether they were refused for security; one for each destination this service
 * consumes or sends to, so a destination reads 0 rather than nothing. One query counts them all, at
 * most once per {@link #FRESH_FOR}, however many gauges a scrape reads.
 */
final class ParkedCounts implements SmartInitializingSingleton {

  static final String SIZE = "messaging.parking.lot.size";
  static final Duration FRESH_FOR = Duration.ofSeconds(5);

  private final JdbcTemplate jdbc;
  private final ConsumerPipelines pipelines;
  private final RouteTable routes;
  private final MeterRegistry meters;
  private final Clock clock;
  private Map<String, Long> counts = Map.of();
  private Instant countedAt = Instant.MIN;

  ParkedCounts(
      JdbcTemplate jdbc,
      ConsumerPipelines pipelines,
      RouteTable routes,
      MeterRegistry meters,
      Clock clock) {
    this.jdbc = jdbc;
    this.pipelines = pipelines;
    this.routes = routes;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Set<String> destinations = new LinkedHashSet<>();
    for (Transport transport : Transport.values()) {
      for (ConsumerPipeline pipeline : pipelines.forTransport(transport)) {
        destinations.add(transport.id() + "|" + pipeline.subscription().destination());
      }
    }
    for (Route route : routes.all()) {
      destinations.add(route.transport().id() + "|" + route.destination());
    }
    for (String destination : destinations) {
      String[] parts = destination.split("\\|", 2);
      for (boolean security : new boolean[] {false, true}) {
        Gauge.builder(SIZE, () -> count(parts[0], parts[1], security))
            .description("Messages waiting in the parking lot for an operator")
            .tags("transport", parts[0], "destination", parts[1], "security", "" + security)
            .register(meters);
      }
    }
  }

  synchronized double count(String transport, String destination, boolean security) {
    Instant now = clock.instant();
    if (now.isAfter(countedAt.plus(FRESH_FOR))) {
      try {
        Map<String, Long> fresh = new HashMap<>();
        jdbc.query(
            "select transport, destination, security, count(*) from parked_message"
                + " where state in ('PARKED', 'REPLAYING') group by transport, destination, security",
            rs -> {
              fresh.put(key(rs.getString(1), rs.getString(2), rs.getBoolean(3)), rs.getLong(4));
            });
        counts = fresh;
        countedAt = now;
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }
    return counts.getOrDefault(key(transport, destination, security), 0L);
  }

  private static String key(String transport, String destination, boolean security) {
    return transport + "|" + destination + "|" + security;
  }
}
