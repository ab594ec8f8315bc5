package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.PrincipalSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The projection engine, in a service that declares {@link Projection} beans and has a database,
 * Kafka and the parking lot.
 */
@AutoConfiguration(
    afterName = {
      "dev.asyncshop.messaging.internal.parking.ParkingLotAutoConfiguration",
      "dev.asyncshop.messaging.internal.kafka.KafkaMessagingAutoConfiguration",
      "dev.asyncshop.messaging.internal.MessagingAutoConfiguration"
    })
@ConditionalOnClass({JdbcTemplate.class, KafkaConsumer.class})
@ConditionalOnBean(
    value = {Projection.class, JdbcTemplate.class, DeadLetterIntake.class},
    name = "messagingKafkaConsumerFactory")
class ProjectionAutoConfiguration {

  /** How long a projection's fetch may wait for {@link #BATCH_BYTES} to arrive. */
  static final Duration BATCH_WAIT = Duration.ofMillis(250);

  static final int BATCH_BYTES = 64 * 1024;

  @Bean
  ProjectionSavepointStep messagingProjectionSavepointStep(
      PlatformTransactionManager transactionManager, JdbcTemplate jdbc) {
    return new ProjectionSavepointStep(transactionManager, jdbc);
  }

  /**
   * Each writer's consumer starts from the library's consumer settings (brokers, security) without
   * a group: a generation's partitions are assigned, its offsets are in the database.
   */
  @Bean
  ProjectionEngine messagingProjections(
      ObjectProvider<Projection> projections,
      ConsumerPipelines pipelines,
      @Qualifier("messagingKafkaConsumerFactory")
          ConsumerFactory<String, byte[]> messagingKafkaConsumerFactory,
      DataSource dataSource,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager,
      DeadLetterIntake parkingLot,
      MessagingMetrics metrics,
      @Qualifier("messagingClock") Clock messagingClock) {
    Map<String, Object> config =
        new HashMap<>(messagingKafkaConsumerFactory.getConfigurationProperties());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A read model is read a moment after its events: letting a fetch wait a quarter of a second
    // for more records turns a trickle of events into batches, each applied in one transaction,
    // instead of a transaction (and a fetch) for nearly every record.
    // Unless the service set its own for its consumers.
    config.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, BATCH_BYTES);
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) BATCH_WAIT.toMillis());
    return new ProjectionEngine(
        projections.orderedStream().toList(),
        pipelines.projections(),
        () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer()),
        new GenerationStore(jdbc, new TransactionTemplate(transactionManager), messagingClock),
        dataSource,
        jdbc,
        transactionManager,
        parkingLot,
        metrics.registry());
  }

  /** {@code /ops/projections}, in a servlet web application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestController")
  static class WebConfiguration {

    @Bean
    ProjectionController messagingProjectionController(
        ProjectionEngine messagingProjections, ObjectProvider<PrincipalSource> principals) {
      return new ProjectionController(
          messagingProjections, principals.getIfAvailable(() -> PrincipalSource.NONE));
    }
  }
}
