package dev.asyncshop.benchmarks;

import dev.asyncshop.benchmarks.BenchMessages.BenchCommand;
import dev.asyncshop.benchmarks.BenchMessages.BenchEvent;
import dev.asyncshop.benchmarks.BenchMessages.BenchNotice;
import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageGateway;
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
 * A small service on common-messaging with everything on: Redis idempotency store, audit to the log
 * and to Kafka, metrics in a Prometheus registry. One route per transport, each to a destination of
 * this run; the handlers only report to their {@link Slot}.
 */
final class LibraryApp implements AutoCloseable {

  /** Where the library's handlers report. */
  record Slots(Slot rabbitmq, Slot kafka, Slot redis) {}

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Config {

    @Bean
    Handlers benchHandlers(Slots slots) {
      return new Handlers(slots);
    }
  }

  /** Plain handlers: the library does the rest around them. */
  public static class Handlers {

    private final Slots slots;

    Handlers(Slots slots) {
      this.slots = slots;
    }

    @HandleMessage
    void on(BenchCommand command) {
      slots.rabbitmq().handled(command.phase(), command.sentNanos());
    }

    @HandleMessage
    void on(BenchEvent event) {
      slots.kafka().handled(event.phase(), event.sentNanos());
    }

    @HandleMessage
    void on(BenchNotice notice) {
      slots.redis().handled(notice.phase(), notice.sentNanos());
    }
  }

  private final ConfigurableApplicationContext context;

  private LibraryApp(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /**
   * @param prefix put before every destination, the audit topic and the idempotency keys
   */
  static LibraryApp start(String kafka, String prefix, Slots slots, Map<String, Object> extra) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.kafka.bootstrap-servers", kafka);
    properties.put("spring.rabbitmq.host", Brokers.HOST);
    properties.put("spring.data.redis.host", Brokers.HOST);
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.jmx.enabled", "false");
    properties.put("messaging.service-name", "bench-library");
    properties.put("messaging.destination-prefix", prefix);
    properties.put("messaging.audit.topic", prefix + "audit.events");
    properties.put("messaging.idempotency.store", "redis");
    properties.put("messaging.idempotency.key-prefix", prefix + "idempotency");
    properties.put("messaging.idempotency.retention", "15m");
    // No message spans unless a variant turns them on, as the figures before tracing existed were.
    properties.put("messaging.tracing.enabled", "false");
    properties.put("management.otlp.metrics.export.enabled", "false");
    route(properties, 0, "bench.command.v1", "command", "rabbitmq", "commands");
    route(properties, 1, "bench.event.v1", "event", "kafka", "events");
    route(properties, 2, "bench.notice.v1", "broadcast", "redis", "notices");
    properties.putAll(extra);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(Config.class)
            .web(WebApplicationType.NONE)
            .properties(properties)
            .initializers(c -> c.getBeanFactory().registerSingleton("benchSlots", slots))
            .run();
    return new LibraryApp(context);
  }

  /** Adds a route as {@code messaging.routes[index].*}. */
  private static void route(
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

  MessageGateway gateway() {
    return context.getBean(MessageGateway.class);
  }

  /** The registry the library's meters go to, to show that metrics were on. */
  MeterRegistry meters() {
    return context.getBean(MeterRegistry.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
