package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.MessagingProperties;
import dev.asyncshop.messaging.Transport;
import dev.asyncshop.messaging.internal.DeadLetterException;
import dev.asyncshop.messaging.internal.DependencyOutages;
import dev.asyncshop.messaging.internal.breaker.ConsumerBreakers;
import dev.asyncshop.messaging.internal.breaker.ConsumerIntake;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import dev.asyncshop.messaging.spi.ConsumerPipelines;
import dev.asyncshop.messaging.spi.DeadLetter;
import dev.asyncshop.messaging.spi.DependencyUnavailableException;
import dev.asyncshop.messaging.spi.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Opens one listener container per subscription (topic and consumer group). The offsets of a poll's
 * records are committed together once the pipeline handled or dead-lettered every one of them; the
 * pipeline's retries run in the consumer thread, so the records behind a failing one, with the same
 * key, wait and stay in order.
 *
 * <p>Why not one commit per record: each synchronous commit waits for the group coordinator to
 * write the offset (Kafka 4 batches those writes for {@code group.coordinator.append.linger.ms}, 5
 * ms by default), which capped one consumer at about 160 records per second. A crash between
 * handling and the poll's commit delivers those records again, which is at least once as before and
 * which the idempotency store absorbs.
 *
 * <p>A record whose handling found a dependency down ({@link DependencyUnavailableException}) is
 * read again from its offset, with backoff, until the dependency is back; never dead-lettered, and
 * the records behind it on its partition wait, in order.
 *
 * <p>While a subscription's circuit breaker is open its container is paused, right after the record
 * in hand: its partitions stay assigned, their records wait from the last committed offset, and the
 * records of the last poll not yet handled are kept for when the breaker half-opens and the
 * container resumes for a trial record.
 *
 * <p>A local table ({@link dev.asyncshop.messaging.HandleMessage#table()}) is read differently: its
 * container is assigned every partition of the topic, seeks to the beginning at every start and
 * commits nothing, so each instance reads the whole topic again; no consumer group is involved.
 */
final class KafkaSubscriber implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KafkaSubscriber.class);

  /** The dead-letter topic of a topic. */
  static String deadLetterTopic(String topic) {
    return topic + ".dlt";
  }

  /** Where records refused for security go, apart from the failures an operator replays. */
  static String securityDeadLetterTopic(String topic) {
    return topic + ".security.dlt";
  }

  private final ConsumerPipelines pipelines;
  private final ConsumerFactory<String, byte[]> consumerFactory;
  private final KafkaTemplate<String, byte[]> template;
  private final MessagingProperties.Kafka settings;
  private final KafkaConsumerLag lag;
  private final DependencyOutages outages;
  private final @Nullable ConsumerBreakers breakers;
  private final KafkaLocalTables tables;
  private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers =
      new CopyOnWriteArrayList<>();
  private final List<ConcurrentMessageListenerContainer<String, byte[]>> tableContainers =
      new CopyOnWriteArrayList<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final List<Thread> tableOpeners = new CopyOnWriteArrayList<>();
  private volatile boolean running;

  /** Set while stopping, under this object's lock, so that no table opens after the stop. */
  private boolean stopping;

  KafkaSubscriber(
      ConsumerPipelines pipelines,
      ConsumerFactory<String, byte[]> consumerFactory,
      KafkaTemplate<String, byte[]> template,
      MessagingProperties.Kafka settings,
      KafkaConsumerLag lag,
      DependencyOutages outages,
      @Nullable ConsumerBreakers breakers,
      KafkaLocalTables tables) {
    this.pipelines = pipelines;
    this.consumerFactory = consumerFactory;
    this.template = template;
    this.settings = settings;
    this.lag = lag;
    this.outages = outages;
    this.breakers = breakers;
    this.tables = tables;
  }

  @Override
  public synchronized void start() {
    stopping = false;
    for (ConsumerPipeline pipeline : pipelines.forTransport(Transport.KAFKA)) {
      if (pipeline.subscription().table()) {
        openTableInBackground(pipeline);
        continue;
      }
      ConcurrentMessageListenerContainer<String, byte[]> container = containerFor(pipeline);
      container.start();
      containers.add(container);
      lag.register(pipeline.subscription().destination(), pipeline.subscription().group());
      attachBreaker(pipeline, container);
    }
    running = true;
  }

  private void attachBreaker(
      ConsumerPipeline pipeline, ConcurrentMessageListenerContainer<String, byte[]> container) {
    if (breakers != null) {
      subscriptions.add(pipeline.subscription());
      breakers.attach(pipeline.subscription(), new PartitionsIntake(container));
    }
  }

  /**
   * A table's consumer needs the topic's partitions, and where each ends, before it can start: that
   * takes Kafka. They are asked for on a thread of the table's own, again with backoff until Kafka
   * answers, so the service starts (its table not yet caught up, its readiness down) while Kafka is
   * away, as it does for its other consumers.
   */
  private void openTableInBackground(ConsumerPipeline pipeline) {
    String topic = pipeline.subscription().destination();
    KafkaLocalTables.Table table = tables.open(topic);
    Thread opener = new Thread(() -> openTable(pipeline, table), "messaging-table-open-" + topic);
    opener.setDaemon(true);
    tableOpeners.add(opener);
    opener.start();
  }

  private void openTable(ConsumerPipeline pipeline, KafkaLocalTables.Table table) {
    ExponentialBackOff backOff = new ExponentialBackOff(1_000L, 2.0);
    backOff.setMaxInterval(30_000L);
    BackOffExecution retries = backOff.start();
    while (true) {
      try {
        TopicPartitionOffset[] partitions = partitionsFromStart(table);
        synchronized (this) {
          if (stopping) {
            return;
          }
          ConcurrentMessageListenerContainer<String, byte[]> container =
              tableContainerFor(pipeline, table, partitions);
          container.start();
          tableContainers.add(container);
          attachBreaker(pipeline, container);
        }
        return;
      } catch (RuntimeException e) {
        long wait = retries.nextBackOff();
        log.warn(
            "The local table of topic '{}' cannot start reading yet; trying again in {} ms: {}",
            table.topic(),
            wait,
            e.toString());
        try {
          Thread.sleep(wait);
        } catch (InterruptedException stopped) {
          return;
        }
      }
    }
  }

  /** A subscription's consumers, paused and resumed by its circuit breaker. */
  private static final class PartitionsIntake implements ConsumerIntake {

    private final ConcurrentMessageListenerContainer<String, byte[]> container;

    PartitionsIntake(ConcurrentMessageListenerContainer<String, byte[]> container) {
      this.container = container;
    }

    @Override
    public void pause() {
      container.pause();
    }

    @Override
    public void resume() {
      container.resume();
    }

    /** Once every consumer thread has paused its partitions, not when it was only asked to. */
    @Override
    public boolean isPaused() {
      return container.isContainerPaused();
    }
  }

  private ConcurrentMessageListenerContainer<String, byte[]> containerFor(
      ConsumerPipeline pipeline) {
    String topic = pipeline.subscription().destination();
    DeadLetterPublishingRecoverer recoverer = deadLetterRecoverer(pipeline.subscription().group());
    ContainerProperties properties = new ContainerProperties(topic);
    properties.setGroupId(pipeline.subscription().group());
    properties.setAckMode(ContainerProperties.AckMode.BATCH);
    // A paused container hands no more records of the last poll to the listener: those would only
    // be given back while the dependency is down. They are kept and handed over on resume.
    properties.setPauseImmediate(true);
    properties.setMessageListener(
        (MessageListener<String, byte[]>) record -> consume(pipeline, recoverer, record));
    ConcurrentMessageListenerContainer<String, byte[]> container =
        new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
    container.setConcurrency(settings.concurrency());
    container.setBeanName("messaging-kafka-" + topic + "-" + pipeline.subscription().group());
    container.setCommonErrorHandler(safetyNet(recoverer));
    return container;
  }

  /**
   * Every partition of the table's topic, from the beginning, in one consumer. Offsets are never
   * acknowledged, and the consumer has no group, so nothing is committed. The container reports
   * itself idle each second it finds nothing to read, which is when a table whose last records were
   * compacted away learns it has caught up.
   */
  private ConcurrentMessageListenerContainer<String, byte[]> tableContainerFor(
      ConsumerPipeline pipeline, KafkaLocalTables.Table table, TopicPartitionOffset[] partitions) {
    String topic = pipeline.subscription().destination();
    DeadLetterPublishingRecoverer recoverer = deadLetterRecoverer(pipeline.subscription().group());
    ContainerProperties properties = new ContainerProperties(partitions);
    properties.setAckMode(ContainerProperties.AckMode.MANUAL);
    properties.setPauseImmediate(true);
    properties.setIdleEventInterval(1_000L);
    properties.setIdleBeforeDataMultiplier(1.0);
    properties.setMessageListener(
        (MessageListener<String, byte[]>)
            record -> {
              consume(pipeline, recoverer, record);
              table.applied(record);
            });
    ConcurrentMessageListenerContainer<String, byte[]> container =
        new ConcurrentMessageListenerContainer<>(consumerFactory, properties);
    container.setConcurrency(1);
    container.setBeanName("messaging-table-" + topic);
    container.setApplicationEventPublisher(
        event -> {
          if (event instanceof ListenerContainerIdleEvent idle) {
            table.idle(idle.getConsumer());
          }
        });
    container.setCommonErrorHandler(safetyNet(recoverer));
    return container;
  }

  /**
   * Every partition of the table's topic, and (for the table to know when it has caught up) where
   * each one ends now.
   *
   * @throws IllegalStateException if the topic does not exist: a table cannot be kept from nothing
   */
  private TopicPartitionOffset[] partitionsFromStart(KafkaLocalTables.Table table) {
    String topic = table.topic();
    List<PartitionInfo> partitions;
    try (Consumer<String, byte[]> consumer =
        consumerFactory.createConsumer(null, "-table-partitions")) {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (partitions != null && !partitions.isEmpty()) {
        List<TopicPartition> all =
            partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        table.started(
            consumer.beginningOffsets(all, Duration.ofSeconds(30)),
            consumer.endOffsets(all, Duration.ofSeconds(30)));
      }
    }
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException(
          ("Topic '%s' has no partitions, so no table can be read from it; create it (compacted),"
                  + " or let the library create it from its route.")
              .formatted(topic));
    }
    return partitions.stream()
        .map(
            partition ->
                new TopicPartitionOffset(
                    topic, partition.partition(), TopicPartitionOffset.SeekPosition.BEGINNING))
        .toArray(TopicPartitionOffset[]::new);
  }

  private void consume(
      ConsumerPipeline pipeline,
      DeadLetterPublishingRecoverer recoverer,
      ConsumerRecord<String, byte[]> record) {
    try {
      pipeline.process(new KafkaDelivery(record, recoverer));
    } catch (DependencyUnavailableException e) {
      outages.report(pipeline.subscription(), e, "it is read again from its offset");
      throw e;
    }
  }

  /**
   * Dead letters go to {@code <topic>.dlt}, or {@code <topic>.security.dlt} when refused for
   * security, partitioned by the original key, with the pipeline's {@link
   * dev.asyncshop.messaging.DeadLetterHeaders} beside spring-kafka's own.
   */
  private DeadLetterPublishingRecoverer deadLetterRecoverer(String group) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, exception) ->
                new TopicPartition(
                    deadLetterOf(record.topic(), group, exception).reason().isSecurity()
                        ? securityDeadLetterTopic(record.topic())
                        : deadLetterTopic(record.topic()),
                    -1));
    recoverer.setHeadersFunction(
        (record, exception) -> {
          Headers headers = new RecordHeaders();
          deadLetterOf(record.topic(), group, exception)
              .headers()
              .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
          return headers;
        });
    return recoverer;
  }

  /**
   * The pipeline's dead letter; or, for a failure the safety net gave up on (which spring-kafka
   * hands over wrapped), one built from the failure itself.
   */
  private static DeadLetter deadLetterOf(String topic, String group, Exception exception) {
    for (Throwable t = exception; t != null; t = t.getCause()) {
      if (t instanceof DeadLetterException deadLetter) {
        return deadLetter.deadLetter();
      }
    }
    Throwable cause = exception.getCause() != null ? exception.getCause() : exception;
    Instant now = Instant.now();
    return new DeadLetter(
        DeadLetterReason.RETRIES_EXHAUSTED, cause, 0, topic, group, now, now, null);
  }

  /**
   * The pipeline handles every message problem itself; what reaches the container's error handler
   * is a dead letter that could not be written, a consumer stopping mid-retry, or a dependency of
   * the handling that is down. Those records are tried again from the same offset, with backoff,
   * and never skipped unrecorded: after about five minutes they go to the dead-letter topic too,
   * except the last kind, which waits for its dependency however long it takes (see {@link
   * #backOffFor}).
   */
  private static DefaultErrorHandler safetyNet(DeadLetterPublishingRecoverer recoverer) {
    ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
    backOff.setMaxInterval(30_000);
    backOff.setMaxElapsedTime(300_000);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    handler.setBackOffFunction((record, exception) -> backOffFor(exception));
    return handler;
  }

  /**
   * For a record whose dependency is down, a backoff that never gives up: 1 s doubling to 10 s, so
   * the record is handled within seconds of the dependency's return. Otherwise {@code null}, the
   * safety net's own.
   */
  static @Nullable BackOff backOffFor(@Nullable Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DependencyUnavailableException) {
        ExponentialBackOff untilBack = new ExponentialBackOff(1_000, 2.0);
        untilBack.setMaxInterval(10_000);
        untilBack.setMaxElapsedTime(Long.MAX_VALUE);
        return untilBack;
      }
    }
    return null;
  }

  /**
   * The listener containers of the consumer groups' subscriptions, once started; not the tables'.
   */
  List<ConcurrentMessageListenerContainer<String, byte[]>> containers() {
    return List.copyOf(containers);
  }

  @Override
  public void stop() {
    synchronized (this) {
      stopping = true;
    }
    tableOpeners.forEach(Thread::interrupt);
    tableOpeners.clear();
    if (breakers != null) {
      subscriptions.forEach(breakers::detach);
      subscriptions.clear();
    }
    containers.forEach(ConcurrentMessageListenerContainer::stop);
    containers.clear();
    tableContainers.forEach(ConcurrentMessageListenerContainer::stop);
    tableContainers.clear();
    tables.closeAll();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
