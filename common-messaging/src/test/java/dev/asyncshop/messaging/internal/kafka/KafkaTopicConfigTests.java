package dev.asyncshop.messaging.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.Transport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the library creates a route's topic: compacted, kept for a time, kept forever, or as is. */
class KafkaTopicConfigTests {

  private static Route route(boolean compacted, Duration retention) {
    return new Route(
        "order.placed.v1",
        MessageKind.EVENT,
        Transport.KAFKA,
        "orders.events",
        null,
        Duration.ofSeconds(5),
        false,
        compacted,
        retention);
  }

  @Test
  void aTopicKeptForeverIsCreatedWithKafkasMinusOne() {
    assertThat(KafkaMessagingAutoConfiguration.topicConfig(route(false, Duration.ofMillis(-1))))
        .isEqualTo(Map.of("retention.ms", "-1"));
    assertThat(KafkaMessagingAutoConfiguration.topicConfig(route(false, Duration.ofDays(-3))))
        .isEqualTo(Map.of("retention.ms", "-1"));
  }

  @Test
  void aTopicIsCreatedCompactedOrKeptForItsRetentionOrAsTheBrokerSays() {
    assertThat(KafkaMessagingAutoConfiguration.topicConfig(route(true, null)))
        .isEqualTo(Map.of("cleanup.policy", "compact"));
    assertThat(KafkaMessagingAutoConfiguration.topicConfig(route(false, Duration.ofDays(30))))
        .isEqualTo(Map.of("retention.ms", "2592000000"));
    assertThat(KafkaMessagingAutoConfiguration.topicConfig(route(false, null))).isEmpty();
  }
}
