package dev.asyncshop.testsupport;

import static org.springframework.beans.factory.config.ConfigurableBeanFactory.SCOPE_PROTOTYPE;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * RabbitMQ, Redis and Kafka of the container mode as Spring Boot service connections: Boot's {@code
 * ServiceConnectionAutoConfiguration} turns each {@link ServiceConnection} bean into the broker's
 * {@code ConnectionDetails}, which win over {@code spring.rabbitmq.*}, {@code spring.data.redis.*}
 * and {@code spring.kafka.*}. Every {@code @SpringBootTest} gets it in container mode, and only
 * then ({@link ContainerBrokersContextCustomizerFactory}).
 *
 * <p>Each bean is the JVM's one started container of {@link ContainerBrokers}, shared by every
 * cached application context. The beans are prototypes because Spring never destroys a prototype:
 * Boot's Testcontainers support stops every singleton container bean when its context closes (also
 * with {@code destroyMethod = ""}, which is how it marks the containers it stops itself), and the
 * next context would find its broker gone. Each bean exists only where its Boot module is on the
 * class path, since Boot refuses a service connection it has no connection details factory for.
 *
 * <p>PostgreSQL is not here: every test class works in a database of its own ({@link
 * TestDatabases}, passed as {@code spring.datasource.*}), and a {@code JdbcConnectionDetails} of
 * the container would point every context at the container's one database instead.
 */
@Configuration(proxyBeanMethods = false)
class ContainerBrokersConfiguration {

  @Bean
  @Scope(SCOPE_PROTOTYPE)
  @ServiceConnection
  @ConditionalOnClass(name = "org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails")
  RabbitMQContainer rabbitMqContainer() {
    return Brokers.containers().rabbitMq;
  }

  /** A plain container, so Boot is told by name which connection it serves. */
  @Bean
  @Scope(SCOPE_PROTOTYPE)
  @ServiceConnection(name = "redis")
  @ConditionalOnClass(
      name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
  GenericContainer<?> redisContainer() {
    return Brokers.containers().redis;
  }

  @Bean
  @Scope(SCOPE_PROTOTYPE)
  @ServiceConnection
  @ConditionalOnClass(name = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails")
  KafkaContainer kafkaContainer() {
    return Brokers.containers().kafka;
  }
}
