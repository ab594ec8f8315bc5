package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Moves this service's dead letters from {@code <topic>.dlt} and {@code <topic>.security.dlt} into
 * the parking lot, in a consumer group of its own ({@code <group>.parking-lot}). Every group that
 * consumes a topic dead-letters into the same topic, so the records other groups gave up on are
 * passed over, left to them. A record the database does not take is read again from its offset,
 * with backoff, for as long as that lasts; the records stay in the topic for its retention either
 * way.
 */
final class KafkaDeadLetterIntake implements SmartLifecycle {

  /** The consumer group that moves a subscription's dead letters. */
  static String groupOf(String group) {
    return group + ".parking-lot";
  }

  private final ConsumerPipelines pipelines;
  private final ConsumerFactory<String, byte[]> consumerFactory;
  private final DeadLetterIntake intake;
  private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers =
      new CopyOnWriteArrayList<>();
  private volatile boolean running;

  KafkaDeadLetterIntake(
      ConsumerPipelines pipelines,
      ConsumerFactory<String, byte[]> consumerFactory,
      DeadLetterIntake intake) {
    this.pipelines = pipelines;
    this.consumerFactory = consumerFactory;
    this.intake = intake;
  }

  @Override
  public void start() {
    for (ConsumerPipeline pipeline : pipelines.forTransport(Transport.KAFKA)) {
      String topic = pipeline.subscription().destination();
      String group = pipeline.subscription().group();
      ContainerProperties properties =
          new ContainerProperties(
              KafkaSubscriber.deadLetterTopic(topic),
              KafkaSubscriber.securityDeadLetterTopic(topic));
      properties.setGroupId(groupOf(group));
      properties.setAckMode(ContainerProperties.AckMode.RECORD);
      properties.setMessageListener(
          (MessageListener<String, byte[]>) record -> take(topic, group, record));
      ConcurrentMessageListenerContainer<String, byte[]> container =
          new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
      container.setBeanName("messaging-parking-" + topic + "-" + group);
      ExponentialBackOff untilTaken = new ExponentialBackOff(1_000, 2.0);
      untilTaken.setMaxInterval(10_000);
      untilTaken.setMaxElapsedTime(Long.MAX_VALUE);
      container.setCommonErrorHandler(new DefaultErrorHandler(untilTaken));
      container.start();
      containers.add(container);
    }
    running = true;
  }

  private void take(String topic, String group, ConsumerRecord<String, byte[]> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), text(header.value()));
    }
    String deadLetterGroup = headers.get(DeadLetterHeaders.CONSUMER_GROUP);
    if (deadLetterGroup != null && !deadLetterGroup.equals(group)) {
      return; // another group's
    }
    intake.park(
        new ArrivedDeadLetter(
            "kafka:" + record.topic() + ":" + record.partition() + ":" + record.offset(),
            Transport.KAFKA.id(),
            topic,
            group,
            record.topic(),
            DeadLetterReason.RETRIES_EXHAUSTED,
            headers,
            envelopeOf(record),
            record.value() == null ? new byte[0] : record.value(),
            null));
  }

  /** A header as text; spring-kafka's numeric ones (original partition, offset) in hex. */
  static String text(byte @Nullable [] value) {
    if (value == null) {
      return "";
    }
    String text = new String(value, StandardCharsets.UTF_8);
    boolean printable =
        text.chars().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\n' || c == '\t');
    return printable ? text : "0x" + HexFormat.of().formatHex(value);
  }

  private static @Nullable Envelope envelopeOf(ConsumerRecord<String, byte[]> record) {
    try {
      return KafkaEnvelopeHeaders.read(record.headers());
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  @Override
  public void stop() {
    containers.forEach(ConcurrentMessageListenerContainer::stop);
    containers.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
