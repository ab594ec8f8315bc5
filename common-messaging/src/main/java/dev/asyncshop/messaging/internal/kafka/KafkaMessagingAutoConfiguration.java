package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.MessageKind;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.RouteTable;
import dev.asyncshop.messaging.internal.breaker.ConsumerBreakers;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.BrokerCheck;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.OutboundTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.ProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events and the audit trail on Kafka, when spring-kafka is on the class path. The library's own
 * clients are not default candidates, so an application that injects Boot's {@code KafkaTemplate}
 * or factories by type still gets exactly Boot's.
 */
@AutoConfiguration(
    after = KafkaAutoConfiguration.class,
    beforeName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnClass({KafkaTemplate.class, KafkaAutoConfiguration.class})
@ConditionalOnBean(KafkaAdmin.class)
@ConditionalOnBooleanProperty(name = "messaging.kafka.enabled", matchIfMissing = true)
class KafkaMessagingAutoConfiguration {

  /** Room for a few hundred audit records per partition and request. */
  private static final int AUDIT_BATCH_BYTES = 256 * 1024;

  /**
   * How long the audit producer tries a record before failing it, so that the sink declares it in a
   * gap record. It must stay well below a verifier's settle time (2 minutes by default): a record
   * of a running chain still retrying after the settle time would be judged removed. Kafka's
   * default, 120 s, equals the settle time.
   */
  static final Duration AUDIT_DELIVERY_TIMEOUT = Duration.ofSeconds(30);

  /** Each request's share of it; linger plus this must fit under the delivery timeout. */
  static final Duration AUDIT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** What the audit producer may hold while the broker is away: minutes of records, not 32 MB. */
  private static final long AUDIT_BUFFER_BYTES = 8L * 1024 * 1024;

  /**
   * Starts from Boot's producer configuration (properties, connection details, SSL) and keeps the
   * guarantees whatever {@code spring.kafka.producer.*} says.
   */
  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingKafkaProducerFactory")
  ProducerFactory<String, byte[]> messagingKafkaProducerFactory(
      ProducerFactory<?, ?> kafkaProducerFactory) {
    Map<String, Object> config = new HashMap<>(kafkaProducerFactory.getConfigurationProperties());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return new DefaultKafkaProducerFactory<>(config);
  }

  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingKafkaTemplate")
  KafkaTemplate<String, byte[]> messagingKafkaTemplate(
      @Qualifier("messagingKafkaProducerFactory")
          ProducerFactory<String, byte[]> messagingKafkaProducerFactory) {
    return new KafkaTemplate<>(messagingKafkaProducerFactory);
  }

  /**
   * Starts from Boot's consumer configuration; offsets are committed by the container once a poll's
   * records were handled or dead-lettered, never automatically.
   */
  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingKafkaConsumerFactory")
  ConsumerFactory<String, byte[]> messagingKafkaConsumerFactory(
      ConsumerFactory<?, ?> kafkaConsumerFactory, MessagingMetrics metrics) {
    Map<String, Object> config = new HashMap<>(kafkaConsumerFactory.getConfigurationProperties());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new consumer group starts at the beginning of the log, so nothing published before its
    // first start is missed.
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A consumer that dies without leaving (SIGKILL, a node lost) keeps its partitions until its
    // session expires; the client's 45 s would outlast a saga step's deadline, so the partitions of
    // a dead instance move to a live one after 10 s instead.
    config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(config);
    // The Kafka client's own meters (kafka.consumer.*): fetch and poll rates, records per fetch.
    factory.addListener(new MicrometerConsumerListener<>(metrics.registry()));
    return factory;
  }

  @Bean(destroyMethod = "close", defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingKafkaAdminClient")
  Admin messagingKafkaAdminClient(KafkaAdmin kafkaAdmin) {
    return Admin.create(kafkaAdmin.getConfigurationProperties());
  }

  /**
   * Topics of every Kafka route, their dead-letter and security dead-letter topics and the audit
   * topic, created by Spring's {@link KafkaAdmin} at start-up when missing.
   */
  @Bean
  @ConditionalOnMissingBean(name = "messagingKafkaTopics")
  KafkaAdmin.NewTopics messagingKafkaTopics(MessagingProperties properties, RouteTable routes) {
    MessagingProperties.Kafka kafka = properties.kafka();
    List<NewTopic> topics = new ArrayList<>();
    Map<String, MessagingProperties.Route> routeOfTopic = new LinkedHashMap<>();
    routes.all().stream()
        .filter(route -> route.transport() == Transport.KAFKA)
        .filter(route -> route.kind() == MessageKind.EVENT)
        .forEach(route -> routeOfTopic.putIfAbsent(route.destination(), route));
    routeOfTopic.forEach(
        (topic, route) -> {
          topics.add(
              new NewTopic(topic, kafka.partitions(), kafka.replicationFactor())
                  .configs(topicConfig(route)));
          Map<String, String> deadLetterConfig =
              Map.of(
                  TopicConfig.RETENTION_MS_CONFIG,
                  Long.toString(kafka.deadLetterRetention().toMillis()));
          topics.add(
              new NewTopic(
                      KafkaSubscriber.deadLetterTopic(topic),
                      kafka.partitions(),
                      kafka.replicationFactor())
                  .configs(deadLetterConfig));
          topics.add(
              new NewTopic(
                      KafkaSubscriber.securityDeadLetterTopic(topic),
                      kafka.partitions(),
                      kafka.replicationFactor())
                  .configs(deadLetterConfig));
        });
    if (properties.audit().kafka()) {
      topics.add(
          new NewTopic(properties.audit().topic(), kafka.partitions(), kafka.replicationFactor()));
    }
    return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
  }

  /** How a route's topic is kept: compacted, or deleted by age, as the route says. */
  static Map<String, String> topicConfig(MessagingProperties.Route route) {
    Map<String, String> config = new HashMap<>();
    if (route.compacted()) {
      config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else if (route.retention() != null) {
      config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(route.retention().toMillis()));
    }
    return config;
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingKafkaTransport")
  OutboundTransport messagingKafkaTransport(
      @Qualifier("messagingKafkaTemplate") KafkaTemplate<String, byte[]> messagingKafkaTemplate,
      MessagingProperties properties) {
    return new KafkaTransport(messagingKafkaTemplate, properties.kafka().sendTimeout());
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingKafkaConsumerLag")
  KafkaConsumerLag messagingKafkaConsumerLag(
      @Qualifier("messagingKafkaAdminClient") Admin messagingKafkaAdminClient,
      MessagingMetrics metrics) {
    return new KafkaConsumerLag(messagingKafkaAdminClient, metrics);
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingKafkaSubscriber")
  KafkaSubscriber messagingKafkaSubscriber(
      ConsumerPipelines pipelines,
      @Qualifier("messagingKafkaConsumerFactory")
          ConsumerFactory<String, byte[]> messagingKafkaConsumerFactory,
      @Qualifier("messagingKafkaTemplate") KafkaTemplate<String, byte[]> messagingKafkaTemplate,
      MessagingProperties properties,
      KafkaConsumerLag lag,
      DependencyOutages outages,
      ObjectProvider<ConsumerBreakers> breakers,
      KafkaLocalTables tables) {
    return new KafkaSubscriber(
        pipelines,
        messagingKafkaConsumerFactory,
        messagingKafkaTemplate,
        properties.kafka(),
        lag,
        outages,
        breakers.getIfAvailable(),
        tables);
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingLocalTables")
  KafkaLocalTables messagingLocalTables(RouteTable routes) {
    return new KafkaLocalTables(routes);
  }

  /** Moves this service's dead letters from the dead-letter topics into the parking lot. */
  @Bean
  @ConditionalOnBean(DeadLetterIntake.class)
  @ConditionalOnMissingBean(name = "messagingKafkaDeadLetterIntake")
  KafkaDeadLetterIntake messagingKafkaDeadLetterIntake(
      ConsumerPipelines pipelines,
      @Qualifier("messagingKafkaConsumerFactory")
          ConsumerFactory<String, byte[]> messagingKafkaConsumerFactory,
      DeadLetterIntake intake) {
    return new KafkaDeadLetterIntake(pipelines, messagingKafkaConsumerFactory, intake);
  }

  /**
   * The consumers' heartbeats are taken as lost after three heartbeat intervals ({@code
   * heartbeat.interval.ms}, 3 s by default), well inside the session timeout after which the broker
   * gives their partitions away.
   */
  @Bean
  @ConditionalOnMissingBean(name = "messagingKafkaBrokerCheck")
  BrokerCheck messagingKafkaBrokerCheck(
      KafkaSubscriber messagingKafkaSubscriber,
      ConsumerPipelines pipelines,
      @Qualifier("messagingKafkaAdminClient") Admin messagingKafkaAdminClient,
      @Qualifier("messagingKafkaConsumerFactory")
          ConsumerFactory<String, byte[]> messagingKafkaConsumerFactory) {
    Object interval =
        messagingKafkaConsumerFactory
            .getConfigurationProperties()
            .get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
    Duration heartbeat =
        Duration.ofMillis(interval == null ? 3_000 : Long.parseLong(interval.toString()));
    // A table's consumer has no group and so no heartbeat: only the groups' consumers tell.
    return new KafkaBrokerCheck(
        messagingKafkaSubscriber,
        pipelines.forTransport(Transport.KAFKA).stream()
            .anyMatch(pipeline -> !pipeline.subscription().table()),
        messagingKafkaAdminClient,
        heartbeat.multipliedBy(3));
  }

  /**
   * The audit trail's own producer: the same guarantees as the events' one, but its records wait up
   * to {@code messaging.audit.linger} to leave together. A produce request costs the broker about
   * the same for one record as for hundreds, and with three audit records per message the events'
   * producer, tuned for latency, would send mostly small requests.
   */
  @Bean(defaultCandidate = false)
  @ConditionalOnProperty(name = "messaging.audit.kafka", matchIfMissing = true)
  @ConditionalOnMissingBean(name = "messagingAuditProducerFactory")
  ProducerFactory<String, byte[]> messagingAuditProducerFactory(
      @Qualifier("messagingKafkaProducerFactory")
          ProducerFactory<String, byte[]> messagingKafkaProducerFactory,
      MessagingProperties properties,
      Environment environment) {
    Map<String, Object> config =
        new HashMap<>(messagingKafkaProducerFactory.getConfigurationProperties());
    config.put(ProducerConfig.LINGER_MS_CONFIG, (int) properties.audit().linger().toMillis());
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, AUDIT_BATCH_BYTES);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, AUDIT_BUFFER_BYTES);
    int requestTimeout =
        (int)
            Math.min(
                AUDIT_REQUEST_TIMEOUT.toMillis(),
                AUDIT_DELIVERY_TIMEOUT.toMillis() - properties.audit().linger().toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, requestTimeout));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) AUDIT_DELIVERY_TIMEOUT.toMillis());
    // Its own name, so that its metrics, quotas and the broker's logs are not mixed with the
    // events'.
    Object clientId = config.get(ProducerConfig.CLIENT_ID_CONFIG);
    config.put(
        ProducerConfig.CLIENT_ID_CONFIG,
        (clientId != null
                ? clientId
                : environment.getProperty("spring.application.name", "messaging"))
            + "-audit");
    return new DefaultKafkaProducerFactory<>(config);
  }

  @Bean
  @ConditionalOnProperty(name = "messaging.audit.kafka", matchIfMissing = true)
  @ConditionalOnMissingBean(name = "messagingKafkaAuditSink")
  KafkaAuditSink messagingKafkaAuditSink(
      @Qualifier("messagingAuditProducerFactory")
          ProducerFactory<String, byte[]> messagingAuditProducerFactory,
      MessagingProperties properties,
      ObjectProvider<JsonMapper> jsonMapper,
      MessagingMetrics metrics,
      Environment environment,
      @Qualifier("messagingClock") Clock messagingClock) {
    return new KafkaAuditSink(
        new KafkaTemplate<>(messagingAuditProducerFactory),
        properties.audit().topic(),
        jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()),
        metrics,
        Binder.get(environment)
            .bind("messaging.service-name", String.class)
            .orElseGet(() -> environment.getProperty("spring.application.name", "application")),
        instance(),
        messagingClock);
  }

  /**
   * This process among the service's instances, for its audit chain's id: the host (a pod's name on
   * Kubernetes, a container's id in Compose) and the process id, which tell apart instances on one
   * host.
   */
  private static String instance() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name =
          "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
  static class KafkaHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("kafka")
    KafkaHealthIndicator kafkaHealthIndicator(
        @Qualifier("messagingKafkaAdminClient") Admin messagingKafkaAdminClient) {
      return new KafkaHealthIndicator(messagingKafkaAdminClient);
    }

    /** For the readiness group: see {@link LocalTablesHealthIndicator}. */
    @Bean
    @ConditionalOnMissingBean(name = "localTablesHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("localTables")
    LocalTablesHealthIndicator localTablesHealthIndicator(KafkaLocalTables tables) {
      return new LocalTablesHealthIndicator(tables);
    }
  }
}
