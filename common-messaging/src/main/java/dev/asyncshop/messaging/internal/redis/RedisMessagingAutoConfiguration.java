package dev.asyncshop.messaging.internal.redis;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.BrokerCheck;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.OutboundTransport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Broadcasts and the Redis idempotency store, when Spring Data Redis is configured. The library's
 * template is not a default candidate, so it never competes with Boot's for injection by type.
 */
@AutoConfiguration(
    after = DataRedisAutoConfiguration.class,
    beforeName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "messaging.redis.enabled", matchIfMissing = true)
class RedisMessagingAutoConfiguration {

  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingRedisTemplate")
  StringRedisTemplate messagingRedisTemplate(RedisConnectionFactory connectionFactory) {
    return new StringRedisTemplate(connectionFactory);
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingStructuredCloudEvent")
  StructuredCloudEvent messagingStructuredCloudEvent(ObjectProvider<JsonMapper> jsonMapper) {
    return new StructuredCloudEvent(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRedisTransport")
  OutboundTransport messagingRedisTransport(
      RedisConnectionFactory connectionFactory,
      @Qualifier("messagingRedisTemplate") StringRedisTemplate messagingRedisTemplate,
      StructuredCloudEvent format) {
    return new RedisTransport(messagingRedisTemplate, format, isLettuce(connectionFactory));
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRedisSubscriber")
  RedisSubscriber messagingRedisSubscriber(
      RedisConnectionFactory connectionFactory,
      @Qualifier("messagingRedisTemplate") StringRedisTemplate messagingRedisTemplate,
      StructuredCloudEvent format,
      ConsumerPipelines pipelines,
      MessagingMetrics metrics,
      DependencyOutages outages,
      MessagingProperties properties) {
    return new RedisSubscriber(
        connectionFactory,
        messagingRedisTemplate,
        format,
        pipelines,
        metrics,
        outages,
        properties.redis().deadLetterMaxLength());
  }

  /** Moves this service's dead letters from the dead-letter streams into the parking lot. */
  @Bean
  @ConditionalOnBean(DeadLetterIntake.class)
  @ConditionalOnMissingBean(name = "messagingRedisDeadLetterIntake")
  RedisDeadLetterIntake messagingRedisDeadLetterIntake(
      ConsumerPipelines pipelines,
      @Qualifier("messagingRedisTemplate") StringRedisTemplate messagingRedisTemplate,
      StructuredCloudEvent format,
      DeadLetterIntake intake,
      MessagingProperties properties) {
    return new RedisDeadLetterIntake(
        pipelines, messagingRedisTemplate, format, intake, properties.parkingLot().pollInterval());
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRedisBrokerCheck")
  BrokerCheck messagingRedisBrokerCheck(
      @Qualifier("messagingRedisTemplate") StringRedisTemplate messagingRedisTemplate) {
    return new RedisBrokerCheck(messagingRedisTemplate);
  }

  @Bean
  @ConditionalOnProperty(
      name = "messaging.idempotency.store",
      havingValue = "redis",
      matchIfMissing = true)
  @ConditionalOnMissingBean(IdempotencyStore.class)
  IdempotencyStore messagingRedisIdempotencyStore(
      RedisConnectionFactory connectionFactory,
      @Qualifier("messagingRedisTemplate") StringRedisTemplate messagingRedisTemplate,
      MessagingProperties properties) {
    MessagingProperties.Idempotency settings = properties.idempotency();
    return new RedisIdempotencyStore(
        messagingRedisTemplate,
        isLettuce(connectionFactory),
        settings.keyPrefix(),
        settings.processingTtl(),
        settings.retention());
  }

  /**
   * Whether commands can go out through Lettuce's asynchronous API on the one shared connection.
   * Without sharing, each command would get a connection of its own, closed or returned to a pool
   * before Redis answers, and order between commands would be lost. Checked by name first, so that
   * a service on another client never loads Lettuce's classes.
   */
  private static boolean isLettuce(RedisConnectionFactory connectionFactory) {
    return ClassUtils.isPresent("io.lettuce.core.RedisClient", null)
        && connectionFactory instanceof LettuceConnectionFactory lettuce
        && lettuce.getShareNativeConnection();
  }
}
