package dev.asyncshop.messaging.testkit;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.PayloadCodec;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The in-memory transports in place of Kafka, RabbitMQ and Redis, an in-memory idempotency store
 * and outbox in place of Redis and the database, and the {@link MessagingTestKit} that drives and
 * watches them. Imported by {@link AutoConfigureInMemoryMessaging}, which also switches the real
 * transports off; before the library's own configurations, so their stores and outbox back off.
 */
@AutoConfiguration(
    beforeName = {
      "dev.asyncshop.messaging.internal.MessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.jdbc.JdbcMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.redis.RedisMessagingAutoConfiguration"
    })
@EnableConfigurationProperties(InMemoryMessagingProperties.class)
class InMemoryMessagingAutoConfiguration {

  /** Static and bound by hand: it must exist before the properties it rewrites are created. */
  @Bean
  static ShortRetryDelays messagingTestShortRetryDelays(Environment environment) {
    return new ShortRetryDelays(
        Binder.get(environment)
            .bind("messaging.test.retry-delay", Duration.class)
            .orElse(Duration.ofMillis(1)));
  }

  /** Static: it must exist before the settings it completes are created. */
  @Bean
  static RandomEncryptionKey messagingTestRandomEncryptionKey() {
    return new RandomEncryptionKey();
  }

  @Bean
  MessageJournal messagingTestJournal() {
    return new MessageJournal();
  }

  @Bean
  InMemoryBroker messagingTestBroker(
      ObjectProvider<ConsumerPipelines> pipelines, MessageJournal journal) {
    return new InMemoryBroker(pipelines, journal);
  }

  @Bean
  OutboundTransport messagingTestKafkaTransport(InMemoryBroker broker, MessageJournal journal) {
    return new InMemoryTransport(Transport.KAFKA, broker, journal);
  }

  @Bean
  OutboundTransport messagingTestRabbitTransport(InMemoryBroker broker, MessageJournal journal) {
    return new InMemoryTransport(Transport.RABBITMQ, broker, journal);
  }

  @Bean
  OutboundTransport messagingTestRedisTransport(InMemoryBroker broker, MessageJournal journal) {
    return new InMemoryTransport(Transport.REDIS, broker, journal);
  }

  @Bean
  ConsumerStep messagingTestRecordHandlingStep(MessageJournal journal) {
    return new RecordHandlingStep(journal);
  }

  @Bean
  AuditSink messagingTestAuditSink(MessageJournal journal) {
    return journal.audit::add;
  }

  /** Unless the service remembers nothing ({@code messaging.idempotency.store=none}). */
  @Bean
  @ConditionalOnMissingBean(IdempotencyStore.class)
  @ConditionalOnExpression("'${messaging.idempotency.store:redis}'.toLowerCase() != 'none'")
  InMemoryIdempotencyStore messagingTestIdempotencyStore() {
    return new InMemoryIdempotencyStore();
  }

  @Bean
  @ConditionalOnMissingBean(Outbox.class)
  InMemoryOutbox messagingTestOutbox(ObjectProvider<MessageGateway> gateway) {
    return new InMemoryOutbox(gateway);
  }

  @Bean
  MessagingTestKit messagingTestKit(
      InMemoryBroker broker,
      MessageJournal journal,
      MessagingProperties properties,
      EnvelopeFactory envelopes,
      PayloadCodec codec,
      ObjectProvider<InMemoryIdempotencyStore> idempotencyStore,
      InMemoryMessagingProperties settings) {
    return new MessagingTestKit(
        broker,
        journal,
        properties,
        envelopes,
        codec,
        idempotencyStore.getIfAvailable(InMemoryIdempotencyStore::new),
        settings.awaitTimeout());
  }
}
