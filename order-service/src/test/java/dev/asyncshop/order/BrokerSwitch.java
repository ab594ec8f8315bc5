package dev.asyncshop.order;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.ConsumerBacklog;
import dev.asyncshop.messaging.Transport;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The brokers as order-service's saga clock sees them: reachable and read up to date, until a test
 * cuts them off or leaves answers unread. The brokers themselves stay up for every other test; only
 * {@link BrokerConnectivity} is told they are gone, as it would be in an outage.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrokerSwitch {

  @Bean
  Connectivity brokerConnectivity() {
    return new Connectivity();
  }

  /** Preferred to the library's reading of Kafka, which the tests' own records would move. */
  @Bean
  @Primary
  Backlog consumerBacklog() {
    return new Backlog();
  }

  /** Answers waiting unread on Kafka for order-service: none, until a test says how many. */
  static class Backlog implements ConsumerBacklog {

    private final AtomicLong unread = new AtomicLong();

    void set(long records) {
      unread.set(records);
    }

    @Override
    public OptionalLong unreadKafkaRecords() {
      return OptionalLong.of(unread.get());
    }
  }

  static class Connectivity implements BrokerConnectivity {

    private final Set<Transport> unreachable = ConcurrentHashMap.newKeySet();

    /** Every broker gone. */
    void cut() {
      unreachable.addAll(List.of(Transport.values()));
    }

    /** One broker gone. */
    void cut(Transport transport) {
      unreachable.add(transport);
    }

    void restore() {
      unreachable.clear();
    }

    @Override
    public boolean connected() {
      return unreachable.isEmpty();
    }

    @Override
    public Map<Transport, Boolean> byTransport() {
      Map<Transport, Boolean> readings = new EnumMap<>(Transport.class);
      for (Transport transport : Transport.values()) {
        readings.put(transport, !unreachable.contains(transport));
      }
      return readings;
    }
  }
}
