package dev.asyncshop.messaging.core;

import dev.asyncshop.messaging.AuditSink;
import dev.asyncshop.messaging.IdempotencyStore;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessagingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** The transport-neutral part of common-messaging: routes, gateway, pipeline, audit, metrics. */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

  /** {@code messaging.service-name}, else {@code spring.application.name}. */
  static String serviceName(Environment environment) {
    return Binder.get(environment)
        .bind("messaging.service-name", String.class)
        .orElseGet(() -> environment.getProperty("spring.application.name", "application"));
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static HandlerRegistry messagingHandlerRegistry() {
    return new HandlerRegistry();
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static HandlerMethodCollector messagingHandlerMethodCollector(
      HandlerRegistry messagingHandlerRegistry, Environment environment) {
    return new HandlerMethodCollector(messagingHandlerRegistry, serviceName(environment));
  }

  @Bean
  PayloadCodec messagingPayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
    return new PayloadCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
  }

  @Bean
  MessagingMetrics messagingMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
    return new MessagingMetrics(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
  }

  @Bean
  @ConditionalOnProperty(name = "messaging.audit.log", matchIfMissing = true)
  LoggingAuditSink messagingLoggingAuditSink() {
    return new LoggingAuditSink();
  }

  @Bean
  AuditTrail messagingAuditTrail(ObjectProvider<AuditSink> sinks, MessagingMetrics metrics) {
    return new AuditTrail(sinks.orderedStream().toList(), metrics);
  }

  @Bean
  RouteTable messagingRouteTable(
      MessagingProperties properties, ObjectProvider<OutboundTransport> transports) {
    Set<String> available =
        transports.stream().map(OutboundTransport::name).collect(Collectors.toSet());
    return new RouteTable(properties.routes(), properties.destinationPrefix(), available);
  }

  @Bean
  EnvelopeFactory messagingEnvelopeFactory(Environment environment) {
    return new EnvelopeFactory(serviceName(environment), Clock.systemUTC());
  }

  @Bean
  RetryTemplates messagingRetryTemplates(MessagingProperties properties) {
    return new RetryTemplates(properties.retry());
  }

  @Bean
  OutboundMessages messagingOutboundMessages(
      RouteTable routes, EnvelopeFactory envelopes, PayloadCodec codec) {
    return new OutboundMessages(routes, envelopes, codec);
  }

  @Bean
  MessageDispatcher messagingDispatcher(
      ObjectProvider<OutboundTransport> transports,
      AuditTrail audit,
      MessagingMetrics metrics,
      Environment environment) {
    Map<String, OutboundTransport> byName =
        transports.stream().collect(Collectors.toMap(OutboundTransport::name, Function.identity()));
    return new MessageDispatcher(
        byName, audit, metrics, serviceName(environment), Clock.systemUTC());
  }

  @Bean
  @ConditionalOnMissingBean(MessageGateway.class)
  DefaultMessageGateway messageGateway(
      OutboundMessages messages, MessageDispatcher dispatcher, PayloadCodec codec) {
    return new DefaultMessageGateway(messages, dispatcher, codec);
  }

  @Bean
  ConsumerPipelines messagingConsumerPipelines(
      MessagingProperties properties,
      RouteTable routes,
      HandlerRegistry handlers,
      ObjectProvider<IdempotencyStore> idempotencyStore,
      RetryTemplates retries,
      PayloadCodec codec,
      AuditTrail audit,
      MessagingMetrics metrics,
      Environment environment) {
    IdempotencyStore store = idempotencyStore.getIfAvailable();
    String serviceName = serviceName(environment);
    Clock clock = Clock.systemUTC();
    return new ConsumerPipelines(
        routes,
        handlers,
        metrics,
        store == null ? missingStore(properties.idempotency().store()) : null,
        subscription ->
            new ConsumerPipeline(
                subscription, routes, store, retries, codec, audit, metrics, serviceName, clock));
  }

  private static @Nullable String missingStore(String configured) {
    if ("none".equals(configured)) {
      return null;
    }
    return ("messaging.idempotency.store is '%s' but no such store is available (%s); add it, or"
            + " set the store to 'none' to let redelivered messages run their handler again.")
        .formatted(
            configured,
            "jdbc".equals(configured)
                ? "the jdbc store needs a DataSource"
                : "the redis store needs spring-boot-starter-data-redis");
  }
}
