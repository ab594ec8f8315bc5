package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.BrokerConnectivity;
import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.Idempotency.Store;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.spi.AuditSink;
import dev.asyncshop.messaging.spi.BrokerCheck;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.ConsumerStep;
import dev.asyncshop.messaging.spi.EnvelopeFactory;
import dev.asyncshop.messaging.spi.IdempotencyStore;
import dev.asyncshop.messaging.spi.OutboundTransport;
import dev.asyncshop.messaging.spi.PayloadCodec;
import dev.asyncshop.messaging.spi.PrincipalSource;
import dev.asyncshop.messaging.spi.PublisherStep;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transport-neutral part of common-messaging: routes, gateway, pipeline, audit, metrics. Every
 * piece backs off when the application declares its own: by type, or by name where several beans of
 * a type live side by side (audit sinks).
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@EnableConfigurationProperties(MessagingProperties.class)
class MessagingAutoConfiguration {

  /** {@code messaging.service-name}, else {@code spring.application.name}. */
  static String serviceName(Environment environment) {
    return Binder.get(environment)
        .bind("messaging.service-name", String.class)
        .orElseGet(() -> environment.getProperty("spring.application.name", "application"));
  }

  /**
   * Binds {@code transport: rabbitmq} (in any case) and refuses an unknown transport naming the
   * ones that exist, which Boot's own enum conversion would not.
   */
  @Bean
  @ConfigurationPropertiesBinding
  static Converter<String, Transport> messagingTransportConverter() {
    return new TransportConverter();
  }

  /** A class rather than a lambda, so the binder can see the types it converts between. */
  private static final class TransportConverter implements Converter<String, Transport> {
    @Override
    public Transport convert(String source) {
      return Transport.fromId(source);
    }
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

  /** The clock of envelopes, audit records and dead letters; not offered for injection by type. */
  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingClock")
  Clock messagingClock() {
    return Clock.systemUTC();
  }

  @Bean
  @ConditionalOnMissingBean(PayloadCodec.class)
  PayloadCodec messagingPayloadCodec(ObjectProvider<JsonMapper> jsonMapper) {
    return new JsonPayloadCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
  }

  @Bean
  @ConditionalOnMissingBean(MessagingMetrics.class)
  MessagingMetrics messagingMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
    return new MessagingMetrics(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
  }

  /** What the transports report of messages not handled because a dependency was down. */
  @Bean
  @ConditionalOnMissingBean(DependencyOutages.class)
  DependencyOutages messagingDependencyOutages(
      MessagingMetrics metrics, @Qualifier("messagingClock") Clock messagingClock) {
    return new DependencyOutages(metrics, messagingClock);
  }

  @Bean
  @ConditionalOnProperty(name = "messaging.audit.log", matchIfMissing = true)
  @ConditionalOnMissingBean(name = "messagingLoggingAuditSink")
  AuditSink messagingLoggingAuditSink() {
    return new LoggingAuditSink();
  }

  @Bean
  @ConditionalOnMissingBean(AuditTrail.class)
  AuditTrail messagingAuditTrail(
      ObjectProvider<AuditSink> sinks,
      MessagingMetrics metrics,
      Environment environment,
      @Qualifier("messagingClock") Clock messagingClock) {
    return new AuditTrail(
        sinks.orderedStream().toList(), metrics, serviceName(environment), messagingClock);
  }

  @Bean
  @ConditionalOnMissingBean(RouteTable.class)
  RouteTable messagingRouteTable(
      MessagingProperties properties, ObjectProvider<OutboundTransport> transports) {
    Set<Transport> available = EnumSet.noneOf(Transport.class);
    transports.forEach(transport -> available.add(transport.transport()));
    return new RouteTable(properties.routes(), properties.destinationPrefix(), available);
  }

  /** Whether the brokers of the service's routes can be reached, from the transports' checks. */
  @Bean
  @ConditionalOnMissingBean(BrokerConnectivity.class)
  BrokerConnectivity messagingBrokerConnectivity(
      RouteTable routes, ObjectProvider<BrokerCheck> checks) {
    Set<Transport> used = EnumSet.noneOf(Transport.class);
    routes.all().forEach(route -> used.add(route.transport()));
    return new PolledBrokerConnectivity(used, checks.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean(EnvelopeFactory.class)
  EnvelopeFactory messagingEnvelopeFactory(
      Environment environment,
      @Qualifier("messagingClock") Clock messagingClock,
      ObjectProvider<PrincipalSource> principals) {
    return new DefaultEnvelopeFactory(
        serviceName(environment),
        messagingClock,
        principals.getIfAvailable(() -> PrincipalSource.NONE));
  }

  /** The caller of the request being served, as Spring Security authenticated it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
  static class SecurityPrincipalConfiguration {

    @Bean
    @ConditionalOnMissingBean(PrincipalSource.class)
    PrincipalSource messagingPrincipalSource() {
      return new SecurityContextPrincipalSource();
    }
  }

  @Bean
  @ConditionalOnMissingBean(RetryTemplates.class)
  RetryTemplates messagingRetryTemplates(MessagingProperties properties) {
    return new RetryTemplates(properties.retry());
  }

  @Bean
  @ConditionalOnMissingBean(OutboundMessages.class)
  OutboundMessages messagingOutboundMessages(
      RouteTable routes,
      EnvelopeFactory envelopes,
      PayloadCodec codec,
      MessagingProperties properties) {
    return new OutboundMessages(routes, envelopes, codec, properties.maxPayloadSize().toBytes());
  }

  /**
   * Every send goes through the library's publisher steps (audit, metrics) and the application's
   * {@link PublisherStep} beans, in their order.
   */
  @Bean
  @ConditionalOnMissingBean(MessageDispatcher.class)
  MessageDispatcher messagingDispatcher(
      ObjectProvider<OutboundTransport> transports,
      ObjectProvider<PublisherStep> applicationSteps,
      AuditTrail audit,
      MessagingMetrics metrics,
      @Qualifier("messagingClock") Clock messagingClock,
      ObjectProvider<ReplyCheck> replyChecks) {
    PublisherSteps steps =
        new PublisherSteps(
            List.of(new AuditPublishedStep(audit), new CountPublishedStep(metrics)),
            applicationSteps.orderedStream().toList());
    return new MessageDispatcher(
        byTransport(transports),
        steps,
        new ReplyReceipts(metrics, audit, messagingClock, replyChecks.orderedStream().toList()));
  }

  /** One transport bean per transport; two for the same one is a mistake worth stopping for. */
  private static Map<Transport, OutboundTransport> byTransport(
      ObjectProvider<OutboundTransport> transports) {
    Map<Transport, OutboundTransport> byTransport = new EnumMap<>(Transport.class);
    transports.forEach(
        transport -> {
          OutboundTransport other = byTransport.putIfAbsent(transport.transport(), transport);
          if (other != null) {
            throw new InvalidRouteException(
                ("Two beans serve transport %s: %s and %s. Keep one; to replace the library's,"
                        + " set messaging.%s.enabled=false.")
                    .formatted(
                        transport.transport(),
                        other.getClass().getName(),
                        transport.getClass().getName(),
                        transport.transport().id()));
          }
        });
    return byTransport;
  }

  @Bean
  @ConditionalOnMissingBean(MessageGateway.class)
  MessageGateway messageGateway(
      OutboundMessages messages, MessageDispatcher dispatcher, PayloadCodec codec) {
    return new DefaultMessageGateway(messages, dispatcher, codec);
  }

  /**
   * Every received message goes through the library's consumer steps and the application's {@link
   * ConsumerStep} beans, in the order of {@link dev.asyncshop.messaging.spi.ConsumerStepOrder}.
   */
  @Bean
  @ConditionalOnMissingBean(ConsumerPipelines.class)
  ConsumerPipelines messagingConsumerPipelines(
      MessagingProperties properties,
      RouteTable routes,
      HandlerRegistry handlers,
      ObjectProvider<IdempotencyStore> idempotencyStore,
      ObjectProvider<ConsumerStep> applicationSteps,
      RetryTemplates retries,
      PayloadCodec codec,
      EnvelopeFactory envelopes,
      AuditTrail audit,
      MessagingMetrics metrics,
      MessageDispatcher dispatcher,
      @Qualifier("messagingClock") Clock messagingClock) {
    IdempotencyStore store = idempotencyStore.getIfAvailable();
    List<ConsumerStep> builtIn = new ArrayList<>();
    builtIn.add(new AnswerQueryStep(envelopes, dispatcher));
    builtIn.add(new DeadLetterStep(metrics, audit, messagingClock));
    builtIn.add(new DeserializeStep(routes));
    builtIn.add(new AuditReceivedStep(audit));
    builtIn.add(new FindHandlerStep(metrics));
    builtIn.add(new ReadPayloadStep(codec, properties.maxPayloadSize().toBytes()));
    builtIn.add(new RecordOutcomeStep(metrics, audit, messagingClock));
    builtIn.add(new WatchKeyOrderStep(metrics, WatchKeyOrderStep.KEYS_PER_SUBSCRIPTION));
    builtIn.add(new EncodeReplyStep(codec, envelopes));
    builtIn.add(new RetryStep(retries, metrics, audit, messagingClock));
    if (store != null) {
      builtIn.add(new SkipDuplicateStep(store));
    }
    builtIn.add(new InvokeHandlerStep());
    return new SubscriptionPipelines(
        routes,
        handlers,
        new ConsumerSteps(builtIn, applicationSteps.orderedStream().toList()),
        messagingClock,
        store == null ? missingStore(properties.idempotency().store()) : null);
  }

  private static @Nullable String missingStore(Store configured) {
    if (configured == Store.NONE) {
      return null;
    }
    return ("messaging.idempotency.store is '%s' but no such store is available (%s); add it, or"
            + " set the store to 'none' to let redelivered messages run their handler again.")
        .formatted(
            configured.name().toLowerCase(),
            configured == Store.JDBC
                ? "the jdbc store needs a DataSource"
                : "the redis store needs spring-boot-starter-data-redis, and messaging.redis.enabled");
  }
}
