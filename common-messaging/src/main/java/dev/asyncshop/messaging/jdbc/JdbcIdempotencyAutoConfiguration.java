package dev.asyncshop.messaging.jdbc;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.core.MessagingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The JDBC idempotency store, when {@code messaging.idempotency.store=jdbc}. */
@AutoConfiguration(
    after = {
      DataSourceTransactionManagerAutoConfiguration.class,
      JdbcTemplateAutoConfiguration.class
    },
    before = MessagingAutoConfiguration.class)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnProperty(name = "messaging.idempotency.store", havingValue = "jdbc")
class JdbcIdempotencyAutoConfiguration {

  @Bean
  @ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
  JdbcIdempotencyStore messagingJdbcIdempotencyStore(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager,
      MessagingProperties properties) {
    return new JdbcIdempotencyStore(
        jdbc, new TransactionTemplate(transactionManager), properties.idempotency().table());
  }
}
