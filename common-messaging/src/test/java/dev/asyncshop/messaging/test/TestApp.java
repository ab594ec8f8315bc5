package dev.asyncshop.messaging.test;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * One running instance of a small service built on common-messaging, against the brokers of {@link
 * Brokers}. Tests start one or several, each with destinations of their own.
 */
public final class TestApp implements AutoCloseable {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class Config {

    @Bean
    Probe probe() {
      return new Probe();
    }

    @Bean
    TestHandlers testHandlers(Probe probe) {
      return new TestHandlers(probe);
    }
  }

  /** An instance that only sends: it handles nothing, so it opens no subscriptions. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class SenderConfig {

    @Bean
    Probe probe() {
      return new Probe();
    }
  }

  private final ConfigurableApplicationContext context;

  private TestApp(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Destinations of one test's routes, unique to it. */
  public record Destinations(
      String topic, String queue, String queryQueue, String channel, String unhandledQueue) {

    public static Destinations unique() {
      return new Destinations(
          TestNames.unique("test.events"),
          TestNames.unique("test.commands"),
          TestNames.unique("test.queries"),
          TestNames.unique("test.notices"),
          TestNames.unique("test.unhandled"));
    }
  }

  /** Properties every instance needs: the brokers, fast retries, and a route per test message. */
  public static Map<String, Object> baseProperties(String serviceName, Destinations to) {
    Map<String, Object> properties = new LinkedHashMap<>(Brokers.springProperties());
    properties.put("spring.main.banner-mode", "off");
    // Only the JDBC idempotency tests use a database; they remove this exclusion.
    properties.put(
        "spring.autoconfigure.exclude",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
    properties.put("messaging.service-name", serviceName);
    // Tracing is on the test class path: every trace sampled, as the services run, and no OTLP
    // metrics push to a collector that is not there.
    properties.put("management.tracing.sampling.probability", "1.0");
    properties.put("management.otlp.metrics.export.enabled", "false");
    properties.put("messaging.retry.max-retries", "3");
    properties.put("messaging.retry.initial-delay", "20ms");
    properties.put("messaging.retry.max-delay", "100ms");
    properties.put("messaging.retry.jitter", "5ms");
    route(properties, 0, "test.event.v1", "event", "kafka", to.topic());
    route(properties, 1, "test.command.v1", "command", "rabbitmq", to.queue());
    route(properties, 2, "test.query.v1", "query", "rabbitmq", to.queryQueue());
    properties.put("messaging.routes[2].timeout", "2s");
    route(properties, 3, "test.notice.v1", "broadcast", "redis", to.channel());
    route(properties, 4, "test.unhandled.v1", "command", "rabbitmq", to.unhandledQueue());
    return properties;
  }

  /** Adds a route as {@code messaging.routes[index].*}. */
  public static void route(
      Map<String, Object> properties,
      int index,
      String type,
      String kind,
      String transport,
      String destination) {
    String prefix = "messaging.routes[" + index + "].";
    properties.put(prefix + "type", type);
    properties.put(prefix + "kind", kind);
    properties.put(prefix + "transport", transport);
    properties.put(prefix + "destination", destination);
  }

  public static TestApp start(Map<String, Object> properties, Class<?>... sources) {
    return run(Config.class, properties, sources);
  }

  /** An instance without the test handlers. */
  public static TestApp startSender(Map<String, Object> properties, Class<?>... sources) {
    return run(SenderConfig.class, properties, sources);
  }

  private static TestApp run(Class<?> config, Map<String, Object> properties, Class<?>... sources) {
    Class<?>[] all = new Class<?>[sources.length + 1];
    all[0] = config;
    System.arraycopy(sources, 0, all, 1, sources.length);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(all).web(WebApplicationType.NONE).properties(properties).run();
    return new TestApp(context);
  }

  public MessageGateway gateway() {
    return context.getBean(MessageGateway.class);
  }

  public Probe probe() {
    return context.getBean(Probe.class);
  }

  public MeterRegistry meters() {
    return context.getBean(MeterRegistry.class);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public ConfigurableApplicationContext context() {
    return context;
  }

  @Override
  public void close() {
    context.close();
  }
}
