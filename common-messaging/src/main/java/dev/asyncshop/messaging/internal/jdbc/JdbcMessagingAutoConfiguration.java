package dev.asyncshop.messaging.internal.jdbc;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.internal.MessageDispatcher;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.OutboundMessages;
import dev.asyncshop.messaging.internal.OutboxEncryption;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDBC idempotency store ({@code messaging.idempotency.store=jdbc}) and the transactional
 * outbox ({@code messaging.outbox.enabled=true}), when a DataSource is configured. Their tables are
 * in {@code classpath:db/messaging}, a Flyway location.
 */
@AutoConfiguration(
    after = {
      DataSourceTransactionManagerAutoConfiguration.class,
      JdbcTemplateAutoConfiguration.class
    },
    beforeName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnClass(JdbcTemplate.class)
class JdbcMessagingAutoConfiguration {

  /** How often old rows are looked for: retentions are days, so hourly is exact enough. */
  static final Duration SWEEP_EVERY = Duration.ofHours(1);

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "messaging.idempotency.store", havingValue = "jdbc")
  @ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
  static class IdempotencyConfiguration {

    @Bean
    @ConditionalOnMissingBean(IdempotencyStore.class)
    IdempotencyStore messagingJdbcIdempotencyStore(
        JdbcTemplate jdbc,
        PlatformTransactionManager transactionManager,
        MessagingProperties properties) {
      return new JdbcIdempotencyStore(
          jdbc, new TransactionTemplate(transactionManager), properties.idempotency().table());
    }

    /**
     * Forgets handled message ids after {@code messaging.idempotency.retention}; that retention
     * must outlast the time a dead letter may wait to be replayed, which the parking lot checks.
     */
    @Bean
    RetentionSweep messagingProcessedMessageRetention(
        JdbcTemplate jdbc,
        MessagingProperties properties,
        @Qualifier("messagingClock") Clock messagingClock) {
      return new RetentionSweep(
          jdbc,
          properties.idempotency().table(),
          "processed_at",
          null,
          properties.idempotency().retention(),
          SWEEP_EVERY,
          messagingClock);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "messaging.outbox.enabled", havingValue = "true")
  @ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
  @ConditionalOnMissingBean(Outbox.class)
  static class OutboxConfiguration {

    @Bean
    OutboxRelay messagingOutboxRelay(
        JdbcTemplate jdbc,
        PlatformTransactionManager transactionManager,
        MessageDispatcher dispatcher,
        OutboundMessages messages,
        ObjectProvider<JsonMapper> jsonMapper,
        MessagingMetrics metrics,
        MessagingProperties properties,
        BrokerConnectivity connectivity,
        ObjectProvider<DeadLetterIntake> parkingLot) {
      OutboxRelay relay =
          new OutboxRelay(
              jdbc,
              new TransactionTemplate(transactionManager),
              dispatcher,
              messages.routes(),
              jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
              properties.outbox(),
              connectivity,
              parkingLot);
      relay.registerMetrics(metrics);
      return relay;
    }

    @Bean
    Outbox messagingOutbox(
        JdbcTemplate jdbc,
        OutboundMessages messages,
        ObjectProvider<JsonMapper> jsonMapper,
        OutboxRelay relay,
        MessagingProperties properties,
        ObjectProvider<OutboxEncryption> encryption) {
      return new JdbcOutbox(
          jdbc,
          messages,
          jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
          relay,
          properties.outbox().table(),
          encryption.getIfAvailable(() -> message -> message));
    }
  }
}
