package dev.asyncshop.testsupport;

import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One container of each broker for the whole test JVM, started together on first use and removed by
 * Testcontainers when the JVM ends. Images are pinned to the versions the suite runs elsewhere. A
 * {@code @SpringBootTest} reaches RabbitMQ, Redis and Kafka through {@link
 * ContainerBrokersConfiguration}, everything else through the endpoints of {@link Brokers}.
 */
final class ContainerBrokers implements BrokerSet {

  static final DockerImageName RABBITMQ = DockerImageName.parse("rabbitmq:3.13-management");
  static final DockerImageName REDIS = DockerImageName.parse("redis:7");
  static final DockerImageName POSTGRES = DockerImageName.parse("postgres:15");
  static final DockerImageName KAFKA = DockerImageName.parse("apache/kafka:4.1.2");

  final RabbitMQContainer rabbitMq = new RabbitMQContainer(RABBITMQ);

  final GenericContainer<?> redis = new GenericContainer<>(REDIS).withExposedPorts(6379);

  // User postgres with trust authentication, as on the local path, so that a process or a plain
  // JDBC connection given only the user name connects on both.
  final PostgreSQLContainer postgres =
      new PostgreSQLContainer(POSTGRES)
          .withUsername("postgres")
          .withPassword("postgres")
          .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");

  // Topics the services create on first use get three partitions, as on the embedded broker.
  final KafkaContainer kafka =
      new KafkaContainer(KAFKA)
          .withEnv("KAFKA_NUM_PARTITIONS", "3")
          .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");

  ContainerBrokers() {
    // In parallel: together they take as long as the slowest, Kafka.
    Startables.deepStart(Stream.of(rabbitMq, redis, postgres, kafka)).join();
  }

  @Override
  public Endpoint rabbitMq() {
    return new Endpoint(
        rabbitMq.getHost(),
        rabbitMq.getAmqpPort(),
        rabbitMq.getAdminUsername(),
        rabbitMq.getAdminPassword());
  }

  @Override
  public Endpoint redis() {
    return new Endpoint(redis.getHost(), redis.getMappedPort(6379), "", "");
  }

  @Override
  public Endpoint postgres() {
    return new Endpoint(
        postgres.getHost(),
        postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
        postgres.getUsername(),
        postgres.getPassword());
  }

  @Override
  public String kafka() {
    return kafka.getBootstrapServers();
  }
}
