package dev.asyncshop.messaging.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Puts common-messaging on in-memory transports in a Spring Boot test: Kafka, RabbitMQ and Redis
 * are switched off (their clients are never started, so no broker is needed), the in-memory
 * transports, idempotency store and outbox take their place, and a {@link MessagingTestKit} can be
 * injected. Retries wait {@code messaging.test.retry-delay} (1 ms) instead of the routes' backoff,
 * and consumers have no circuit breakers. Use it on a {@code @SpringBootTest}; {@link
 * MessagingTest} includes it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@TestPropertySource(
    properties = {
      "messaging.kafka.enabled=false",
      "messaging.rabbitmq.enabled=false",
      "messaging.redis.enabled=false",
      "messaging.audit.kafka=false",
      // Nothing to pause in memory; and a breaker opened by one test would hold the next one's
      // messages back, as the context, and its breakers, outlive each test.
      "messaging.circuit-breaker.enabled=false"
    })
public @interface AutoConfigureInMemoryMessaging {}
