package dev.asyncshop.messaging.internal.rabbit;

import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.InvalidRouteException;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.breaker.ConsumerBreakers;
import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.spi.BrokerCheck;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.OutboundTransport;
import java.time.Duration;
import java.util.UUID;
import org.springframework.amqp.rabbit.AsyncRabbitTemplate;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Commands and queries on RabbitMQ, when Spring AMQP and a connection factory are present. The
 * library's templates are not default candidates, so {@code @Autowired RabbitTemplate} in an
 * application still finds only Boot's.
 */
@AutoConfiguration(
    after = RabbitAutoConfiguration.class,
    beforeName = "dev.asyncshop.messaging.internal.MessagingAutoConfiguration")
@ConditionalOnClass(RabbitTemplate.class)
@ConditionalOnBean(ConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "messaging.rabbitmq.enabled", matchIfMissing = true)
class RabbitMessagingAutoConfiguration {

  /** Longest wait of the reply container; each query's own timeout is shorter. */
  private static final Duration MAX_REPLY_WAIT = Duration.ofMinutes(10);

  /** Names this instance's reply queue. */
  private final String instance = UUID.randomUUID().toString();

  /** Mandatory and confirmed; used for commands, replies and dead letters. */
  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingRabbitTemplate")
  RabbitTemplate messagingRabbitTemplate(ConnectionFactory connectionFactory) {
    requireConfirms(connectionFactory);
    RabbitTemplate template = new RabbitTemplate(connectionFactory);
    template.setMandatory(true);
    // A returned message reaches its sender through its CorrelationData; this callback only
    // stops the template from warning that nobody listens for returns.
    template.setReturnsCallback(returned -> {});
    return template;
  }

  /**
   * Queries use their own template: {@link AsyncRabbitTemplate} installs itself as its template's
   * return and confirm callback. It listens on this instance's reply queue (see {@link
   * RabbitReplies}), and starts with the first query rather than with the application.
   */
  @Bean(defaultCandidate = false)
  @ConditionalOnMissingBean(name = "messagingAsyncRabbitTemplate")
  AsyncRabbitTemplate messagingAsyncRabbitTemplate(
      ConnectionFactory connectionFactory,
      MessagingProperties properties,
      Environment environment) {
    String exchange = replyExchange(properties, environment);
    String queue = RabbitTopology.replyQueue(exchange, instance);
    SimpleMessageListenerContainer container =
        new SimpleMessageListenerContainer(connectionFactory);
    container.setQueueNames(queue);
    container.setBeanName("messaging-rabbit-replies");
    AsyncRabbitTemplate asyncTemplate =
        new AsyncRabbitTemplate(
            new RabbitTemplate(connectionFactory),
            container,
            RabbitReplies.address(exchange, queue));
    asyncTemplate.setMandatory(true);
    asyncTemplate.setReceiveTimeout(MAX_REPLY_WAIT.toMillis());
    asyncTemplate.setAutoStartup(false);
    return asyncTemplate;
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRabbitTransport")
  OutboundTransport messagingRabbitTransport(
      ConnectionFactory connectionFactory,
      @Qualifier("messagingRabbitTemplate") RabbitTemplate messagingRabbitTemplate,
      @Qualifier("messagingAsyncRabbitTemplate") AsyncRabbitTemplate messagingAsyncRabbitTemplate,
      MessagingProperties properties,
      Environment environment) {
    String exchange = replyExchange(properties, environment);
    String queue = RabbitTopology.replyQueue(exchange, instance);
    return new RabbitTransport(
        messagingRabbitTemplate,
        new RabbitReplies(connectionFactory, messagingAsyncRabbitTemplate, exchange, queue),
        properties.rabbitmq().confirmTimeout());
  }

  /** The service's reply exchange, named like its other destinations, with their prefix. */
  private static String replyExchange(MessagingProperties properties, Environment environment) {
    String service =
        properties.serviceName() != null
            ? properties.serviceName()
            : environment.getProperty("spring.application.name", "application");
    return RabbitTopology.replyExchange(properties.destinationPrefix(), service);
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRabbitSubscriber")
  RabbitSubscriber messagingRabbitSubscriber(
      ConnectionFactory connectionFactory,
      @Qualifier("messagingRabbitTemplate") RabbitTemplate messagingRabbitTemplate,
      ConsumerPipelines pipelines,
      MessagingMetrics metrics,
      DependencyOutages outages,
      MessagingProperties properties,
      ObjectProvider<ConsumerBreakers> breakers) {
    return new RabbitSubscriber(
        connectionFactory,
        messagingRabbitTemplate,
        pipelines,
        metrics,
        outages,
        properties.rabbitmq(),
        breakers.getIfAvailable());
  }

  /** Moves the dead letters of the consumed queues into the parking lot, when there is one. */
  @Bean
  @ConditionalOnBean(DeadLetterIntake.class)
  @ConditionalOnMissingBean(name = "messagingRabbitDeadLetterIntake")
  RabbitDeadLetterIntake messagingRabbitDeadLetterIntake(
      ConnectionFactory connectionFactory, ConsumerPipelines pipelines, DeadLetterIntake intake) {
    return new RabbitDeadLetterIntake(connectionFactory, pipelines, intake);
  }

  @Bean
  @ConditionalOnMissingBean(name = "messagingRabbitBrokerCheck")
  BrokerCheck messagingRabbitBrokerCheck(ConnectionFactory connectionFactory) {
    return new RabbitBrokerCheck(connectionFactory);
  }

  private static void requireConfirms(ConnectionFactory connectionFactory) {
    if (connectionFactory instanceof CachingConnectionFactory caching
        && !(caching.isPublisherConfirms() && caching.isPublisherReturns())) {
      throw new InvalidRouteException(
          "RabbitMQ publisher confirms or returns are off, so a command sent to a missing queue"
              + " would vanish silently. Set spring.rabbitmq.publisher-confirm-type=correlated and"
              + " spring.rabbitmq.publisher-returns=true.");
    }
  }
}
