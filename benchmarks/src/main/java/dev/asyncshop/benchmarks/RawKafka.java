package dev.asyncshop.benchmarks;

import dev.asyncshop.benchmarks.BenchMessages.RawMessage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain spring-kafka with the guarantees the library gives events: an idempotent producer with
 * {@code acks=all} whose send is awaited, keyed records on a topic with the library's partition
 * count, and a listener container with spring-kafka's defaults (offsets committed after the records
 * of each poll were handled).
 */
final class RawKafka implements AutoCloseable {

  private final String topic;
  private final JsonMapper json;
  private final Admin admin;
  private final DefaultKafkaProducerFactory<String, byte[]> producerFactory;
  private final KafkaTemplate<String, byte[]> template;
  private final ConcurrentMessageListenerContainer<String, byte[]> container;

  RawKafka(String bootstrap, String topic, int partitions, JsonMapper json, Slot slot)
      throws Exception {
    this.topic = topic;
    this.json = json;
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    admin
        .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
    producerFactory =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    template = new KafkaTemplate<>(producerFactory);
    DefaultKafkaConsumerFactory<String, byte[]> consumerFactory =
        new DefaultKafkaConsumerFactory<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                topic + "-raw",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
    ContainerProperties properties = new ContainerProperties(topic);
    properties.setMessageListener(
        (MessageListener<String, byte[]>)
            record -> {
              RawMessage received = json.readValue(record.value(), RawMessage.class);
              slot.handled(received.phase(), received.sentNanos());
            });
    container = new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
    container.setConcurrency(1);
    container.setBeanName("bench-raw-kafka");
    container.start();
  }

  void send(int phase, long sentNanos) throws Exception {
    byte[] value = json.writeValueAsBytes(new RawMessage(phase, sentNanos, BenchMessages.BODY));
    template.send(topic, UUID.randomUUID().toString(), value).get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    container.stop();
    producerFactory.destroy();
    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    admin.close();
  }
}
