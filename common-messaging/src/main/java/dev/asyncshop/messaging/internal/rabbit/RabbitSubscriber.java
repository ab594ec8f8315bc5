package dev.asyncshop.messaging.internal.rabbit;

import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.deadLetterExchange;
import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.deadLetterQueue;
import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.exchange;
import static dev.asyncshop.messaging.internal.rabbit.RabbitTopology.securityDeadLetterQueue;

import com.rabbitmq.client.Channel;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.MessagingProperties.RabbitMq.QueueType;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.internal.breaker.ConsumerBreakers;
import dev.asyncshop.messaging.internal.breaker.ConsumerIntake;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.IdempotencyStore.MessageInProgressException;
import dev.asyncshop.messaging.spi.Subscription;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.context.SmartLifecycle;

/**
 * Declares each handled queue with its dead-letter queue and its security dead-letter queue (for
 * messages refused for their signature or encryption), and consumes it with manual acknowledgement:
 * a message is acked only after the pipeline handled it or confirmed it in a dead-letter queue;
 * anything else is nacked back onto the queue after a pause, also when a dependency of the handler
 * is down, for as long as it is.
 *
 * <p>While a queue's circuit breaker is open its container is stopped: the queue keeps its
 * messages, those the consumer had prefetched go back to it, and nothing is handled or
 * dead-lettered until the breaker half-opens and the container starts again for a trial message.
 */
final class RabbitSubscriber implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RabbitSubscriber.class);

  /** Back onto the queue after a pause, so a message that cannot be settled does not spin. */
  private static final long REQUEUE_DELAY_MILLIS = 1_000;

  private static final long SHUTDOWN_WAIT_SECONDS = 30;

  private final ConnectionFactory connectionFactory;
  private final RabbitAdmin admin;
  private final RabbitTemplate template;
  private final ConsumerPipelines pipelines;
  private final MessagingMetrics metrics;
  private final DependencyOutages outages;
  private final MessagingProperties.RabbitMq settings;
  private final @Nullable ConsumerBreakers breakers;
  private final List<SimpleMessageListenerContainer> containers = new CopyOnWriteArrayList<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicBoolean declaring = new AtomicBoolean();
  private volatile boolean running;

  RabbitSubscriber(
      ConnectionFactory connectionFactory,
      RabbitTemplate template,
      ConsumerPipelines pipelines,
      MessagingMetrics metrics,
      DependencyOutages outages,
      MessagingProperties.RabbitMq settings,
      @Nullable ConsumerBreakers breakers) {
    this.connectionFactory = connectionFactory;
    // Our own admin: Boot's exists only with spring.rabbitmq.dynamic=true.
    this.admin = new RabbitAdmin(connectionFactory);
    this.template = template;
    this.pipelines = pipelines;
    this.metrics = metrics;
    this.outages = outages;
    this.settings = settings;
    this.breakers = breakers;
  }

  @Override
  public void start() {
    List<ConsumerPipeline> consumed = pipelines.forTransport(Transport.RABBITMQ);
    List<String> queues = consumed.stream().map(p -> p.subscription().destination()).toList();
    if (!queues.isEmpty()) {
      // Declared again on every new connection, so a broker that was reset or down at start-up
      // gets its queues back when it returns.
      connectionFactory.addConnectionListener(connection -> declareQuietly(queues));
      declareQuietly(queues);
    }
    for (ConsumerPipeline pipeline : consumed) {
      String queue = pipeline.subscription().destination();
      registerDepthGauges(queue);
      SimpleMessageListenerContainer container = containerFor(pipeline);
      container.start();
      containers.add(container);
      if (breakers != null) {
        subscriptions.add(pipeline.subscription());
        breakers.attach(pipeline.subscription(), new QueueIntake(container));
      }
    }
    running = true;
  }

  /** A queue's consumers, stopped and started again by its circuit breaker. */
  private final class QueueIntake implements ConsumerIntake {

    private final SimpleMessageListenerContainer container;

    QueueIntake(SimpleMessageListenerContainer container) {
      this.container = container;
    }

    @Override
    public void pause() {
      container.stop();
    }

    @Override
    public void resume() {
      synchronized (RabbitSubscriber.this) {
        // Never started again once the application stops its consumers.
        if (running) {
          container.start();
        }
      }
    }

    @Override
    public boolean isPaused() {
      return !container.isRunning();
    }
  }

  private void declareQuietly(List<String> queues) {
    if (!declaring.compareAndSet(false, true)) {
      return;
    }
    try {
      queues.forEach(this::declare);
    } catch (AmqpException e) {
      log.warn(
          "Could not declare {} yet; they are declared when RabbitMQ answers: {}",
          queues,
          e.toString());
    } finally {
      declaring.set(false);
    }
  }

  /**
   * The queue and the exchange senders reach it through, its dead-letter and security dead-letter
   * queues and the exchange between them; all durable and all this consumer's own (see {@link
   * RabbitTopology}).
   */
  private void declare(String queue) {
    DirectExchange deadLetterExchange = new DirectExchange(deadLetterExchange(queue), true, false);
    admin.declareExchange(deadLetterExchange);
    for (String name : List.of(deadLetterQueue(queue), securityDeadLetterQueue(queue))) {
      Queue deadLetters = queueBuilder(name).build();
      admin.declareQueue(deadLetters);
      admin.declareBinding(BindingBuilder.bind(deadLetters).to(deadLetterExchange).with(name));
    }
    QueueBuilder consumedBuilder =
        queueBuilder(queue)
            .deadLetterExchange(deadLetterExchange(queue))
            .deadLetterRoutingKey(deadLetterQueue(queue));
    if (settings.queueType() == QueueType.QUORUM) {
      // A quorum queue dead-letters at most once by default: a message the broker itself
      // dead-letters (its delivery limit, once configured) could be lost between the queues. At
      // least once needs publisher confirms inside the broker, which needs reject-publish overflow;
      // no length limit is set, so no publish is ever rejected for it.
      consumedBuilder
          .withArgument("x-dead-letter-strategy", "at-least-once")
          .overflow(QueueBuilder.Overflow.rejectPublish);
    }
    Queue consumed = consumedBuilder.build();
    try {
      admin.declareQueue(consumed);
    } catch (AmqpException e) {
      // Queue arguments cannot change. A queue declared by an earlier version dead-letters through
      // its old exchange; it is still consumed and reached, and the pipeline's dead letters go to
      // the new one.
      log.error(
          "Could not declare queue {} with {}: {}. If an earlier version declared it with other"
              + " arguments, it keeps them: move its messages away and delete it (rabbitmqctl"
              + " delete_queue {}) to have it declared again.",
          queue,
          consumed.getArguments(),
          e.getCause() != null ? e.getCause().toString() : e.toString(),
          queue);
    }
    DirectExchange inbound = new DirectExchange(exchange(queue), true, false);
    admin.declareExchange(inbound);
    admin.declareBinding(BindingBuilder.bind(consumed).to(inbound).with(queue));
  }

  private QueueBuilder queueBuilder(String name) {
    QueueBuilder builder = QueueBuilder.durable(name);
    return settings.queueType() == QueueType.QUORUM ? builder.quorum() : builder;
  }

  /** The queue's depth and its dead letters' depths, the security dead letters included. */
  private void registerDepthGauges(String queue) {
    registerQueueDepth(queue);
    registerQueueDepth(deadLetterQueue(queue));
    for (String deadLetters : List.of(deadLetterQueue(queue), securityDeadLetterQueue(queue))) {
      metrics.deadLetterDepth(
          Transport.RABBITMQ.id(), queue, deadLetters, () -> depth(deadLetters));
    }
  }

  private void registerQueueDepth(String queue) {
    Gauge.builder(MessagingMetrics.QUEUE_DEPTH, () -> depth(queue))
        .description("Messages ready in the queue")
        .tags("transport", Transport.RABBITMQ.id(), "destination", queue)
        .register(metrics.registry());
  }

  private double depth(String queue) {
    try {
      Properties properties = admin.getQueueProperties(queue);
      return properties == null
          ? Double.NaN
          : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private SimpleMessageListenerContainer containerFor(ConsumerPipeline pipeline) {
    String queue = pipeline.subscription().destination();
    DeadLetterRepublisher republisher = republisher(queue, deadLetterQueue(queue));
    DeadLetterRepublisher securityRepublisher = republisher(queue, securityDeadLetterQueue(queue));
    SimpleMessageListenerContainer container =
        new SimpleMessageListenerContainer(connectionFactory);
    container.setQueueNames(queue);
    container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
    container.setPrefetchCount(settings.prefetch());
    container.setConcurrentConsumers(settings.concurrency());
    container.setBeanName("messaging-rabbit-" + queue);
    container.setMissingQueuesFatal(false);
    // Stopping (for the circuit breaker, or at shutdown) gives the prefetched messages back to the
    // queue at once instead of handling them first: while a dependency is down they would only
    // fail, and at shutdown another instance takes them.
    container.setForceStop(true);
    container.setMessageListener(
        (ChannelAwareMessageListener)
            (message, channel) ->
                consume(pipeline, republisher, securityRepublisher, message, channel));
    return container;
  }

  private DeadLetterRepublisher republisher(String queue, String deadLetterQueue) {
    return new DeadLetterRepublisher(
        template, deadLetterExchange(queue), deadLetterQueue, settings.confirmTimeout().toMillis());
  }

  private void consume(
      ConsumerPipeline pipeline,
      DeadLetterRepublisher republisher,
      DeadLetterRepublisher securityRepublisher,
      Message message,
      Channel channel)
      throws IOException {
    long tag = message.getMessageProperties().getDeliveryTag();
    try {
      pipeline.process(new RabbitDelivery(message, republisher, securityRepublisher, template));
      channel.basicAck(tag, false);
    } catch (MessageInProgressException e) {
      log.debug("{}; it goes back to the queue", e.getMessage());
      requeueAfterPause(channel, tag);
    } catch (DependencyUnavailableException e) {
      outages.report(pipeline.subscription(), e, "it goes back to the queue");
      requeueAfterPause(channel, tag);
    } catch (RuntimeException e) {
      log.error(
          "Message {} from {} goes back to the queue: {}",
          message.getMessageProperties().getHeader(AmqpEnvelopeHeaders.PREFIX + "id"),
          pipeline.subscription().destination(),
          e.toString());
      requeueAfterPause(channel, tag);
    }
  }

  private static void requeueAfterPause(Channel channel, long tag) throws IOException {
    try {
      Thread.sleep(REQUEUE_DELAY_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.basicNack(tag, false, true);
  }

  /** Stops the containers side by side: each waits for its consumers to finish their message. */
  @Override
  public void stop() {
    synchronized (this) {
      running = false;
    }
    if (breakers != null) {
      subscriptions.forEach(breakers::detach);
      subscriptions.clear();
    }
    CountDownLatch stopped = new CountDownLatch(containers.size());
    containers.forEach(container -> container.stop(stopped::countDown));
    try {
      stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    containers.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
