package dev.asyncshop.messaging.internal.rabbit;

import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.deadLetterQueue;
import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.securityDeadLetterQueue;

import com.rabbitmq.client.Channel;
import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.parking.ArrivedDeadLetter;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.SmartLifecycle;

/**
 * Moves the dead letters of every consumed queue, {@code <queue>.dlq} and {@code
 * <queue>.security.dlq}, into the parking lot: each message is acknowledged only once the parking
 * lot has it, and goes back to its queue, after a pause, while the database is out of reach.
 */
final class RabbitDeadLetterIntake implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RabbitDeadLetterIntake.class);
  private static final long REQUEUE_DELAY_MILLIS = 2_000;

  private final ConnectionFactory connectionFactory;
  private final ConsumerPipelines pipelines;
  private final DeadLetterIntake intake;
  private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();
  private volatile boolean running;

  RabbitDeadLetterIntake(
      ConnectionFactory connectionFactory, ConsumerPipelines pipelines, DeadLetterIntake intake) {
    this.connectionFactory = connectionFactory;
    this.pipelines = pipelines;
    this.intake = intake;
  }

  @Override
  public void start() {
    for (ConsumerPipeline pipeline : pipelines.forTransport(Transport.RABBITMQ)) {
      String queue = pipeline.subscription().destination();
      String group = pipeline.subscription().group();
      SimpleMessageListenerContainer container =
          new SimpleMessageListenerContainer(connectionFactory);
      container.setQueueNames(deadLetterQueue(queue), securityDeadLetterQueue(queue));
      container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
      container.setPrefetchCount(10);
      // The subscriber declares the dead-letter queues; until it has, the container waits for them.
      container.setMissingQueuesFatal(false);
      container.setBeanName("messaging-parking-" + queue);
      container.setMessageListener(
          (ChannelAwareMessageListener) (message, channel) -> take(queue, group, message, channel));
      container.start();
      containers.add(container);
    }
    running = true;
  }

  private void take(String queue, String group, Message message, Channel channel)
      throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    try {
      intake.park(arrived(queue, group, message));
      channel.basicAck(tag, false);
    } catch (RuntimeException e) {
      log.warn(
          "A dead letter of {} stays in {} until the parking lot takes it: {}",
          queue,
          message.getMessageProperties().getConsumerQueue(),
          e.toString());
      try {
        Thread.sleep(REQUEUE_DELAY_MILLIS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
      channel.basicNack(tag, false, true);
    }
  }

  static ArrivedDeadLetter arrived(String queue, String group, Message message) {
    MessageProperties properties = message.getMessageProperties();
    Map<String, String> headers = new LinkedHashMap<>();
    properties.getHeaders().forEach((name, value) -> headers.put(name, String.valueOf(value)));
    Envelope envelope = envelopeOf(properties);
    String deadLetters =
        properties.getConsumerQueue() != null
            ? properties.getConsumerQueue()
            : deadLetterQueue(queue);
    // A queue cannot name its messages: this one is known by what it is and when it failed, the
    // same for a copy the broker delivers twice.
    String key =
        String.join(
            ":",
            "rabbitmq",
            deadLetters,
            envelope != null ? envelope.id() : sha256(message.getBody()),
            String.valueOf(headers.get(DeadLetterHeaders.LAST_FAILURE_TIME)),
            String.valueOf(headers.get(DeadLetterHeaders.ATTEMPTS)));
    return new ArrivedDeadLetter(
        key,
        Transport.RABBITMQ.id(),
        queue,
        group,
        deadLetters,
        // Without the library's headers RabbitMQ dead-lettered it itself (a delivery limit).
        DeadLetterReason.RETRIES_EXHAUSTED,
        headers,
        envelope,
        message.getBody(),
        null);
  }

  private static @Nullable Envelope envelopeOf(MessageProperties properties) {
    try {
      return AmqpEnvelopeHeaders.hasEnvelope(properties)
          ? AmqpEnvelopeHeaders.read(properties)
          : null;
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }

  @Override
  public void stop() {
    containers.forEach(SimpleMessageListenerContainer::stop);
    containers.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
