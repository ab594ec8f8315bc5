package dev.asyncshop.messaging.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** A consumer hears Kafka when its client's metrics say it is connected and in its group. */
class KafkaBrokerCheckTests {

  private static final Duration STALE = Duration.ofSeconds(9);

  private static Map<MetricName, Metric> consumer(double connections, double heartbeatAge) {
    Map<MetricName, Metric> metrics = new HashMap<>();
    put(metrics, KafkaBrokerCheck.CONSUMER_METRICS, KafkaBrokerCheck.CONNECTION_COUNT, connections);
    put(
        metrics,
        KafkaBrokerCheck.COORDINATOR_METRICS,
        KafkaBrokerCheck.LAST_HEARTBEAT,
        heartbeatAge);
    // The same names in another group must not be taken for them.
    put(metrics, "consumer-node-metrics", KafkaBrokerCheck.CONNECTION_COUNT, 5);
    return metrics;
  }

  private static void put(
      Map<MetricName, Metric> metrics, String group, String name, double value) {
    MetricName metricName = new MetricName(name, group, "", Map.of("client-id", "c-1"));
    metrics.put(
        metricName,
        new Metric() {
          @Override
          public MetricName metricName() {
            return metricName;
          }

          @Override
          public Object metricValue() {
            return value;
          }
        });
  }

  @Test
  void aConnectedConsumerThatHeartbeatsLatelyHearsKafka() {
    assertThat(KafkaBrokerCheck.hearing(consumer(2, 1), STALE)).isTrue();
    assertThat(KafkaBrokerCheck.hearing(consumer(1, 9), STALE)).isTrue();
  }

  @Test
  void noConnectionMeansTheBrokerIsGoneWhateverTheLastHeartbeat() {
    assertThat(KafkaBrokerCheck.hearing(consumer(0, 1), STALE)).isFalse();
  }

  @Test
  void heartbeatsStoppedOrNeverSentMeanTheConsumerIsNotInItsGroup() {
    assertThat(KafkaBrokerCheck.hearing(consumer(2, 10), STALE)).isFalse();
    assertThat(KafkaBrokerCheck.hearing(consumer(2, -1), STALE)).isFalse();
  }

  @Test
  void aConsumerWithoutMetricsYetDoesNotHear() {
    assertThat(KafkaBrokerCheck.hearing(Map.of(), STALE)).isFalse();
  }
}
