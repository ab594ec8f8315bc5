package dev.asyncshop.messaging.internal.breaker;

import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A circuit breaker for every subscription unless {@code messaging.circuit-breaker.enabled} is off:
 * the step joins every pipeline at {@link
 * dev.asyncshop.messaging.spi.ConsumerStepOrder#CIRCUIT_BREAKER} like an application's own step,
 * and the RabbitMQ and Kafka subscribers hand the breakers their containers to pause.
 */
@AutoConfiguration(afterName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnBooleanProperty(name = "messaging.circuit-breaker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CircuitBreakerProperties.class)
class CircuitBreakerAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ConsumerBreakers.class)
  ConsumerBreakers messagingConsumerBreakers(
      CircuitBreakerProperties properties,
      MessagingMetrics metrics,
      AuditTrail audit,
      @Qualifier("messagingClock") Clock messagingClock) {
    return new ConsumerBreakers(properties, metrics, audit, messagingClock);
  }

  @Bean
  @ConditionalOnMissingBean(CircuitBreakerStep.class)
  CircuitBreakerStep messagingCircuitBreakerStep(ConsumerBreakers breakers) {
    return new CircuitBreakerStep(breakers);
  }

  /** The breakers' health, for services with Spring Boot's health support. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class BreakersHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "messagingBreakersHealthIndicator")
    BreakersHealthIndicator messagingBreakersHealthIndicator(ConsumerBreakers breakers) {
      return new BreakersHealthIndicator(breakers);
    }
  }
}
