package dev.asyncshop.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.beans.factory.config.ConfigurableBeanFactory.SCOPE_PROTOTYPE;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.lifecycle.TestcontainersLifecycleApplicationContextInitializer;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The container beans, checked without a Docker engine: their annotations, and how Boot treats a
 * bean declared like them, on a stand-in container that never starts.
 */
class ContainerBrokersConfigurationTests {

  @Test
  void rabbitMqRedisAndKafkaArePrototypeServiceConnectionsAndPostgresIsNot() {
    List<Method> beans =
        Arrays.stream(ContainerBrokersConfiguration.class.getDeclaredMethods())
            .filter(method -> method.isAnnotationPresent(Bean.class))
            .toList();

    assertThat(beans)
        .extracting(Method::getReturnType)
        .containsExactlyInAnyOrder(
            RabbitMQContainer.class, GenericContainer.class, KafkaContainer.class);
    assertThat(beans)
        .allSatisfy(
            bean -> {
              assertThat(bean.getAnnotation(ServiceConnection.class)).isNotNull();
              assertThat(bean.getAnnotation(Scope.class).value()).isEqualTo(SCOPE_PROTOTYPE);
            });
  }

  @Test
  void thePlainRedisContainerIsNamedForBoot() throws Exception {
    Method redis = ContainerBrokersConfiguration.class.getDeclaredMethod("redisContainer");

    assertThat(redis.getAnnotation(ServiceConnection.class).name()).isEqualTo("redis");
  }

  @Test
  void aPrototypeContainerBeanBecomesConnectionDetailsAndOutlivesItsContext() {
    StandInRedis redis = new StandInRedis();
    PrototypeRedis.container = redis;

    runner()
        .withUserConfiguration(PrototypeRedis.class)
        .run(
            context -> {
              DataRedisConnectionDetails.Standalone standalone =
                  context.getBean(DataRedisConnectionDetails.class).getStandalone();
              assertThat(standalone.getHost()).isEqualTo(StandInRedis.HOST);
              assertThat(standalone.getPort()).isEqualTo(StandInRedis.PORT);
            });

    assertThat(redis.stopped).as("stopped when the context closed").isFalse();
  }

  /** Why the beans are prototypes: an empty destroy method does not keep Boot from stopping it. */
  @Test
  void aSingletonContainerBeanIsStoppedWithItsContextEvenWithAnEmptyDestroyMethod() {
    StandInRedis redis = new StandInRedis();
    SingletonRedis.container = redis;

    runner().withUserConfiguration(SingletonRedis.class).run(context -> {});

    assertThat(redis.stopped).isTrue();
  }

  /** Boot's service connections and its container lifecycle, as a {@code @SpringBootTest} has. */
  private static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withInitializer(new TestcontainersLifecycleApplicationContextInitializer())
        .withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class PrototypeRedis {

    static GenericContainer<?> container;

    @Bean
    @Scope(SCOPE_PROTOTYPE)
    @ServiceConnection(name = "redis")
    GenericContainer<?> redisContainer() {
      return container;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class SingletonRedis {

    static GenericContainer<?> container;

    @Bean(destroyMethod = "")
    @ServiceConnection(name = "redis")
    GenericContainer<?> redisContainer() {
      return container;
    }
  }

  /** Answers as a started Redis would, without an engine; records whether it was stopped. */
  static final class StandInRedis extends GenericContainer<StandInRedis> {

    static final String HOST = "redis.test";
    static final int PORT = 16379;

    boolean stopped;

    StandInRedis() {
      super(DockerImageName.parse("redis:7"));
    }

    @Override
    public void start() {}

    @Override
    public void stop() {
      stopped = true;
    }

    @Override
    public String getHost() {
      return HOST;
    }

    @Override
    public Integer getMappedPort(int originalPort) {
      return PORT;
    }
  }
}
