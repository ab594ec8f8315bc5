package dev.asyncshop.messaging.internal.parking;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.internal.jdbc.RetentionSweep;
import dev.asyncshop.messaging.parking.ParkingLot;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parking lot, in a service with a database ({@code messaging.parking-lot.enabled}, on by
 * default); its table is in {@code classpath:db/messaging}. Before the transports' configurations,
 * which add their intakes when it is there.
 */
@AutoConfiguration(
    after = {
      DataSourceTransactionManagerAutoConfiguration.class,
      JdbcTemplateAutoConfiguration.class
    },
    beforeName = {
      "dev.asyncshop.messaging.internal.MessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.rabbit.RabbitMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.kafka.KafkaMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.redis.RedisMessagingAutoConfiguration"
    })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnBean({JdbcTemplate.class, PlatformTransactionManager.class})
@ConditionalOnProperty(name = "messaging.parking-lot.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MessagingProperties.class)
class ParkingLotAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ParkingLot.class)
  JdbcParkingLot messagingParkingLot(
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager,
      ConsumerPipelines pipelines,
      RouteTable routes,
      PayloadCodec codec,
      AuditTrail audit,
      MessagingMetrics metrics,
      ObjectProvider<JsonMapper> jsonMapper,
      @Qualifier("messagingClock") Clock messagingClock,
      MessagingProperties properties,
      ObjectProvider<ParkedOutboxRows> outbox,
      BeanFactory beanFactory) {
    RetentionCheck.require(properties, routes);
    List<String> packages =
        AutoConfigurationPackages.has(beanFactory)
            ? AutoConfigurationPackages.get(beanFactory)
            : List.of();
    return new JdbcParkingLot(
        jdbc,
        new TransactionTemplate(transactionManager),
        pipelines,
        routes,
        codec,
        new MessageRecords(packages, beanFactory.getClass().getClassLoader()),
        audit,
        metrics.registry(),
        jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
        messagingClock,
        properties.parkingLot().claimTimeout(),
        properties.parkingLot().replayableFor(),
        outbox.getIfAvailable());
  }

  @Bean
  ParkedCounts messagingParkedCounts(
      JdbcTemplate jdbc,
      ConsumerPipelines pipelines,
      RouteTable routes,
      MessagingMetrics metrics,
      @Qualifier("messagingClock") Clock messagingClock) {
    return new ParkedCounts(jdbc, pipelines, routes, metrics.registry(), messagingClock);
  }

  /** Replayed and purged messages leave after {@code messaging.parking-lot.history}. */
  @Bean
  RetentionSweep messagingParkingLotHistory(
      JdbcTemplate jdbc,
      MessagingProperties properties,
      @Qualifier("messagingClock") Clock messagingClock) {
    return new RetentionSweep(
        jdbc,
        "parked_message",
        "state_changed_at",
        "state in ('REPLAYED', 'PURGED')",
        properties.parkingLot().history(),
        Duration.ofHours(1),
        messagingClock);
  }

  /** {@code /ops/dead-letters}, in a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
  static class WebConfiguration {

    @Bean
    DeadLetterController messagingDeadLetterController(
        ParkingLot parkingLot, ObjectProvider<PrincipalSource> principals) {
      return new DeadLetterController(
          parkingLot, principals.getIfAvailable(() -> PrincipalSource.NONE));
    }
  }
}
