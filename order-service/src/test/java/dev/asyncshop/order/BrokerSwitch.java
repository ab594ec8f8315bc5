package dev.asyncshop.order;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.Transport;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The brokers as order-service's saga clock sees them: reachable, until a test cuts them off. The
 * brokers themselves stay up for every other test; only {@link BrokerConnectivity} is told they are
 * gone, as it would be in an outage.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrokerSwitch {

  @Bean
  Connectivity brokerConnectivity() {
    return new Connectivity();
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
