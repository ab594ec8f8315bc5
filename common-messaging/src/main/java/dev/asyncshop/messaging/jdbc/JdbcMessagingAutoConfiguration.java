package dev.asyncshop.messaging.jdbc;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.core.MessageDispatcher;
import dev.asyncshop.messaging.core.MessagingAutoConfiguration;
import dev.asyncshop.messaging.core.MessagingMetrics;
import dev.asyncshop.messaging.core.OutboundMessages;
import dev.asyncshop.messaging.core.PayloadCodec;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
    before = MessagingAutoConfiguration.class)
@ConditionalOnClass(JdbcTemplate.class)
class JdbcMessagingAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "messaging.idempotency.store", havingValue = "jdbc")
  @ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
  static class IdempotencyConfiguration {

    @Bean
    JdbcIdempotencyStore messagingJdbcIdempotencyStore(
        JdbcTemplate jdbc,
        PlatformTransactionManager transactionManager,
        MessagingProperties properties) {
      return new JdbcIdempotencyStore(
          jdbc, new TransactionTemplate(transactionManager), properties.idempotency().table());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(name = "messaging.outbox.enabled", havingValue = "true")
  @ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
  static class OutboxConfiguration {

    @Bean
    OutboxRelay messagingOutboxRelay(
        JdbcTemplate jdbc,
        PlatformTransactionManager transactionManager,
        MessageDispatcher dispatcher,
        OutboundMessages messages,
        PayloadCodec codec,
        MessagingMetrics metrics,
        MessagingProperties properties) {
      OutboxRelay relay =
          new OutboxRelay(
              jdbc,
              new TransactionTemplate(transactionManager),
              dispatcher,
              messages.routes(),
              codec.mapper(),
              properties.outbox());
      relay.registerMetrics(metrics);
      return relay;
    }

    @Bean
    JdbcOutbox messagingOutbox(
        JdbcTemplate jdbc,
        OutboundMessages messages,
        PayloadCodec codec,
        OutboxRelay relay,
        MessagingProperties properties) {
      return new JdbcOutbox(jdbc, messages, codec.mapper(), relay, properties.outbox().table());
    }
  }
}
