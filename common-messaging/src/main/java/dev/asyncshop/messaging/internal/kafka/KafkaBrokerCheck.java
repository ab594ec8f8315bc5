package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.BrokerCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Kafka is reachable for a service that consumes from it when every consumer of the library's
 * subscriptions hears it: the consumer has a connection open and has sent a heartbeat to its group
 * coordinator lately, both read from the Kafka client's own metrics, which costs no request. A
 * broker that stopped closes the connections at once; one that hangs stops the heartbeats. A
 * service that only publishes has no consumer to ask, so the cluster must answer a request instead.
 */
final class KafkaBrokerCheck implements BrokerCheck {

  static final String CONSUMER_METRICS = "consumer-metrics";
  static final String CONNECTION_COUNT = "connection-count";
  static final String COORDINATOR_METRICS = "consumer-coordinator-metrics";
  static final String LAST_HEARTBEAT = "last-heartbeat-seconds-ago";

  private static final long CLUSTER_TIMEOUT_MILLIS = 2_000;

  private final KafkaSubscriber subscriber;
  private final boolean consumes;
  private final Admin admin;
  private final Duration staleHeartbeat;

  /**
   * @param consumes whether the service has Kafka subscriptions; until their consumers run, Kafka
   *     reads unreachable
   * @param staleHeartbeat how long without a heartbeat a consumer is taken to have lost its group
   */
  KafkaBrokerCheck(
      KafkaSubscriber subscriber, boolean consumes, Admin admin, Duration staleHeartbeat) {
    this.subscriber = subscriber;
    this.consumes = consumes;
    this.admin = admin;
    this.staleHeartbeat = staleHeartbeat;
  }

  @Override
  public Transport transport() {
    return Transport.KAFKA;
  }

  @Override
  public boolean reachable() throws Exception {
    if (!consumes) {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) CLUSTER_TIMEOUT_MILLIS))
          .nodes()
          .get(CLUSTER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
          .isEmpty();
    }
    var containers = subscriber.containers();
    if (containers.isEmpty()) {
      return false;
    }
    for (MessageListenerContainer container : containers) {
      Map<String, Map<MetricName, ? extends Metric>> consumers = container.metrics();
      if (consumers.isEmpty()) {
        return false;
      }
      for (Map<MetricName, ? extends Metric> metrics : consumers.values()) {
        if (!hearing(metrics, staleHeartbeat)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether one consumer, by its metrics, is connected and in touch with its group. */
  static boolean hearing(Map<MetricName, ? extends Metric> metrics, Duration staleHeartbeat) {
    Double connections = value(metrics, CONSUMER_METRICS, CONNECTION_COUNT);
    // -1 until the first heartbeat
    Double heartbeatAge = value(metrics, COORDINATOR_METRICS, LAST_HEARTBEAT);
    return connections != null
        && connections > 0
        && heartbeatAge != null
        && heartbeatAge >= 0
        && heartbeatAge <= staleHeartbeat.toSeconds();
  }

  private static @Nullable Double value(
      Map<MetricName, ? extends Metric> metrics, String group, String name) {
    for (Map.Entry<MetricName, ? extends Metric> metric : metrics.entrySet()) {
      if (metric.getKey().group().equals(group)
          && metric.getKey().name().equals(name)
          && metric.getValue().metricValue() instanceof Number value) {
        return value.doubleValue();
      }
    }
    return null;
  }
}
