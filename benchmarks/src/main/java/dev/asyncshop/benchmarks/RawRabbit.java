package dev.asyncshop.benchmarks;

import dev.asyncshop.benchmarks.BenchMessages.RawMessage;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain Spring AMQP with the guarantees the library gives commands: a durable queue, persistent and
 * mandatory messages, publisher confirms awaited by the sender, and a listener with manual ack
 * after the handler ran, with the library's default prefetch and concurrency.
 */
final class RawRabbit implements AutoCloseable {

  private final String queue;
  private final JsonMapper json;
  private final CachingConnectionFactory connectionFactory;
  private final RabbitAdmin admin;
  private final RabbitTemplate template;
  private final SimpleMessageListenerContainer container;

  RawRabbit(String queue, JsonMapper json, Slot slot, int prefetch, int concurrency) {
    this.queue = queue;
    this.json = json;
    connectionFactory = new CachingConnectionFactory(Brokers.HOST, 5672);
    connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
    connectionFactory.setPublisherReturns(true);
    admin = new RabbitAdmin(connectionFactory);
    admin.declareQueue(new Queue(queue, true, false, false));
    template = new RabbitTemplate(connectionFactory);
    template.setMandatory(true);
    template.setReturnsCallback(returned -> {});
    container = new SimpleMessageListenerContainer(connectionFactory);
    container.setQueueNames(queue);
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(prefetch);
    container.setConcurrentConsumers(concurrency);
    container.setMessageListener(
        (ChannelAwareMessageListener)
            (message, channel) -> {
              RawMessage received = json.readValue(message.getBody(), RawMessage.class);
              slot.handled(received.phase(), received.sentNanos());
              channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
            });
    container.start();
  }

  void send(int phase, long sentNanos) throws Exception {
    MessageProperties properties = new MessageProperties();
    properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
    properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
    String id = UUID.randomUUID().toString();
    properties.setMessageId(id);
    byte[] body = json.writeValueAsBytes(new RawMessage(phase, sentNanos, BenchMessages.BODY));
    CorrelationData correlation = new CorrelationData(id);
    template.send("", queue, new Message(body, properties), correlation);
    CorrelationData.Confirm confirm = correlation.getFuture().get(5, TimeUnit.SECONDS);
    if (!confirm.ack() || correlation.getReturned() != null) {
      throw new IllegalStateException("Not taken by RabbitMQ: " + confirm.reason());
    }
  }

  /** The broker's version, from the connection's server properties. */
  String brokerVersion() {
    Object version =
        connectionFactory
            .createConnection()
            .getDelegate()
            .getServerProperties()
            .getOrDefault("version", "?");
    return String.valueOf(version);
  }

  @Override
  public void close() {
    container.stop();
    admin.deleteQueue(queue);
    connectionFactory.destroy();
  }
}
