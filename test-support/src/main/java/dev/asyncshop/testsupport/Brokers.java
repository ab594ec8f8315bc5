package dev.asyncshop.testsupport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The brokers every integration test, system test and benchmark runs against: RabbitMQ, Redis,
 * PostgreSQL and Kafka, in containers when a Docker engine answers and on 127.0.0.1 (Kafka
 * embedded) when not; see {@link BrokerMode} to choose. Each is ready when its method returns; a
 * local broker that does not answer fails the test with the command that starts it. No test skips
 * either way.
 *
 * <p>Everything that is not a {@code @SpringBootTest} (system tests' service processes, benchmarks,
 * plain clients) takes the addresses from here. A {@code @SpringBootTest} in container mode gets
 * RabbitMQ, Redis and Kafka as Spring Boot service connections instead ({@link
 * ContainerBrokersConfiguration}); both point at the same containers.
 */
public final class Brokers {

  private static @Nullable BrokerMode mode;
  private static @Nullable BrokerSet brokers;

  private Brokers() {}

  /** Where this JVM's brokers come from, decided once. */
  public static synchronized BrokerMode mode() {
    if (mode == null) {
      mode = BrokerMode.ofThisJvm();
    }
    return mode;
  }

  /**
   * Makes this JVM's brokers the local ones whatever {@link BrokerMode} would choose, for a program
   * whose figures must be this machine's brokers' (the benchmarks). Call it before anything asks
   * for a broker.
   *
   * @throws IllegalStateException if this JVM already chose the containers
   */
  public static synchronized void useLocal() {
    mode = settle(mode, BrokerMode.LOCAL);
  }

  /** The wanted mode, unless another was chosen already. */
  static BrokerMode settle(@Nullable BrokerMode chosen, BrokerMode wanted) {
    if (chosen != null && chosen != wanted) {
      throw new IllegalStateException(
          "This JVM's brokers are already chosen (%s); choose %s before anything asks for a broker"
              .formatted(
                  chosen.name().toLowerCase(Locale.ROOT), wanted.name().toLowerCase(Locale.ROOT)));
    }
    return wanted;
  }

  private static synchronized BrokerSet brokers() {
    if (brokers == null) {
      brokers = mode() == BrokerMode.CONTAINERS ? new ContainerBrokers() : new LocalBrokers();
    }
    return brokers;
  }

  /** The started containers of this JVM; only in container mode. */
  static ContainerBrokers containers() {
    if (!(brokers() instanceof ContainerBrokers containers)) {
      throw new IllegalStateException(
          "The brokers of this JVM are the local ones (%s=local, or no Docker engine answered);"
                  .formatted(BrokerMode.PROPERTY)
              + " there are no containers to connect to");
    }
    return containers;
  }

  public static Endpoint rabbitMq() {
    return brokers().rabbitMq();
  }

  public static Endpoint redis() {
    return brokers().redis();
  }

  /** A superuser that may create databases; see {@link TestDatabases}. */
  public static Endpoint postgres() {
    return brokers().postgres();
  }

  /** Kafka's bootstrap servers. */
  public static String kafka() {
    return brokers().kafka();
  }

  /**
   * The Spring Boot properties that point an application at RabbitMQ, Redis and Kafka; the database
   * is each test's own (see {@link TestDatabases}).
   */
  public static Map<String, String> springProperties() {
    return springProperties(kafka());
  }

  /** Like {@link #springProperties()}, with another Kafka, such as a broker process of a test. */
  public static Map<String, String> springProperties(String kafkaBootstrapServers) {
    Endpoint rabbitMq = rabbitMq();
    Endpoint redis = redis();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.rabbitmq.host", rabbitMq.host());
    properties.put("spring.rabbitmq.port", String.valueOf(rabbitMq.port()));
    properties.put("spring.rabbitmq.username", rabbitMq.username());
    properties.put("spring.rabbitmq.password", rabbitMq.password());
    properties.put("spring.data.redis.host", redis.host());
    properties.put("spring.data.redis.port", String.valueOf(redis.port()));
    properties.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers);
    return properties;
  }
}
