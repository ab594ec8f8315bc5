package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.projection.Generation;
import dev.asyncshop.messaging.projection.GenerationState;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.projection.ProjectionException;
import dev.asyncshop.messaging.projection.ProjectionStatus;
import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.messaging.spi.ConsumerPipeline;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The service's projections: one keeper each, and their status and rebuilds. */
final class ProjectionEngine implements Projections, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ProjectionEngine.class);
  private static final Duration ASK_KAFKA = Duration.ofSeconds(5);

  /** The gauge of each projection's lag. */
  static final String LAG = "messaging.projection.lag";

  /** The gauge of whether this instance writes a projection. */
  static final String WRITING = "messaging.projection.writing";

  private final Map<String, Projection> projections = new TreeMap<>();
  private final Map<String, Map<String, RecordApplier>> appliers = new TreeMap<>();
  private final Map<String, ProjectionKeeper> keepers = new ConcurrentHashMap<>();
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final GenerationStore store;
  private final ProjectionLocks locks;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Object lagReaderLock = new Object();
  private @Nullable Consumer<String, byte[]> lagReader;
  private volatile boolean running;

  ProjectionEngine(
      List<Projection> declared,
      List<ConsumerPipeline> projectionPipelines,
      Supplier<Consumer<String, byte[]>> consumers,
      GenerationStore store,
      DataSource dataSource,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactionManager,
      DeadLetterIntake parkingLot,
      MeterRegistry meters) {
    for (Projection projection : declared) {
      if (projections.putIfAbsent(projection.name(), projection) != null) {
        throw new IllegalStateException("Two projections are named " + projection.name());
      }
    }
    for (ConsumerPipeline pipeline : projectionPipelines) {
      String name = pipeline.subscription().group();
      if (!projections.containsKey(name)) {
        throw new IllegalStateException(
            ("Handlers write projection '%s', which no Projection bean declares; declare"
                    + " new Projection(\"%s\", <its schema script>)")
                .formatted(name, name));
      }
      appliers
          .computeIfAbsent(name, n -> new TreeMap<>())
          .put(pipeline.subscription().destination(), RecordApplier.of(pipeline, parkingLot));
    }
    for (Projection projection : projections.values()) {
      projection
          .rawTopics()
          .forEach(
              (topic, handler) -> {
                Map<String, RecordApplier> topics =
                    appliers.computeIfAbsent(projection.name(), n -> new TreeMap<>());
                if (topics.put(topic, RecordApplier.of(handler, transactionManager, parkingLot))
                    != null) {
                  throw new IllegalStateException(
                      ("Projection %s reads topic %s both as messages and as raw records; one"
                              + " or the other")
                          .formatted(projection.name(), topic));
                }
              });
      if (!appliers.containsKey(projection.name())) {
        throw new IllegalStateException(
            "Projection "
                + projection.name()
                + " has no handlers: annotate them @HandleMessage(projection = \""
                + projection.name()
                + "\"), or give it a raw topic");
      }
    }
    this.consumers = consumers;
    this.store = store;
    this.locks = new ProjectionLocks(dataSource);
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
    for (String name : projections.keySet()) {
      for (boolean building : new boolean[] {false, true}) {
        Gauge.builder(LAG, this, engine -> engine.lag(name, building))
            .description(
                "Records on a projection's topics that its generation has not read yet, at the"
                    + " instance that writes it (NaN elsewhere)")
            .tag("projection", name)
            .tag("generation", building ? "building" : "active")
            .register(meters);
      }
      Gauge.builder(WRITING, this, engine -> engine.writing(name) ? 1 : 0)
          .description(
              "1 at the instance that writes a projection, 0 at the others: summed over the"
                  + " instances, 0 means nobody keeps the read model up to date")
          .tag("projection", name)
          .register(meters);
    }
  }

  private boolean writing(String name) {
    ProjectionKeeper keeper = keepers.get(name);
    return keeper != null && keeper.writing();
  }

  private double lag(String name, boolean building) {
    ProjectionKeeper keeper = keepers.get(name);
    return keeper == null ? Double.NaN : keeper.lag(building);
  }

  @Override
  public synchronized void start() {
    projections.forEach(
        (name, projection) -> {
          ProjectionKeeper keeper =
              new ProjectionKeeper(
                  projection,
                  locks,
                  store,
                  row ->
                      new GenerationRunner(
                          row, appliers.get(name), consumers, store, jdbc, transactions));
          keepers.put(name, keeper);
          keeper.start();
        });
    running = true;
  }

  /**
   * Every keeper is told at once, then awaited: their writers finish their batches side by side.
   */
  @Override
  public synchronized void stop() {
    keepers.values().forEach(ProjectionKeeper::stopSoon);
    keepers.values().forEach(ProjectionKeeper::awaitStopped);
    keepers.clear();
    synchronized (lagReaderLock) {
      if (lagReader != null) {
        lagReader.close();
        lagReader = null;
      }
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public List<ProjectionStatus> all() {
    return projections.keySet().stream().map(this::status).toList();
  }

  @Override
  public ProjectionStatus status(String name) {
    Projection projection = projection(name);
    Map<String, RecordApplier> topics = appliers.get(projection.name());
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    Map<TopicPartition, Long> beginnings = new LinkedHashMap<>();
    boolean ended = ends(topics.keySet(), beginnings, ends);
    List<Generation> generations = new ArrayList<>();
    for (GenerationStore.Row row : store.live(name)) {
      if (row.state() == GenerationState.RETIRED) {
        continue; // its schema is being dropped
      }
      Long lag = null;
      long events = 0;
      try {
        events = store.events(row.schema());
        if (ended) {
          Map<TopicPartition, Long> written =
              store.made(row.schema()) ? store.offsets(row.schema()) : Map.of();
          long behind = 0;
          for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            long stored = written.getOrDefault(end.getKey(), GenerationStore.FROM_START);
            long from =
                stored == GenerationStore.FROM_START ? beginnings.get(end.getKey()) : stored;
            behind += Math.max(0, end.getValue() - from);
          }
          lag = behind;
        }
      } catch (DataAccessException dropped) {
        // Dropped, or being made, between the two queries: no figures for this one now.
        log.debug("No figures for {} generation {}", name, row.generation(), dropped);
      }
      generations.add(
          new Generation(
              row.generation(),
              row.state(),
              row.schema(),
              row.requestedAt(),
              row.requestedBy(),
              row.switchedAt(),
              events,
              lag));
    }
    return new ProjectionStatus(name, List.copyOf(topics.keySet()), generations);
  }

  /**
   * Where each partition of the topics begins and ends now; {@code false} if Kafka did not say, or
   * a topic has no partitions (it does not exist yet).
   */
  private boolean ends(
      Iterable<String> topics,
      Map<TopicPartition, Long> beginnings,
      Map<TopicPartition, Long> ends) {
    synchronized (lagReaderLock) {
      return endsWithLagReader(topics, beginnings, ends);
    }
  }

  private boolean endsWithLagReader(
      Iterable<String> topics,
      Map<TopicPartition, Long> beginnings,
      Map<TopicPartition, Long> ends) {
    try {
      if (lagReader == null) {
        lagReader = consumers.get();
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = lagReader.partitionsFor(topic, ASK_KAFKA);
        if (infos == null || infos.isEmpty()) {
          return false;
        }
        infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      }
      beginnings.putAll(lagReader.beginningOffsets(partitions, ASK_KAFKA));
      ends.putAll(lagReader.endOffsets(partitions, ASK_KAFKA));
      return true;
    } catch (RuntimeException e) {
      log.debug("Kafka did not say where the projections' topics end", e);
      if (lagReader != null) {
        lagReader.close();
        lagReader = null;
      }
      return false;
    }
  }

  @Override
  public boolean readable(String name) {
    projection(name);
    return store.hasActive(name);
  }

  @Override
  public ProjectionStatus rebuild(String name, String requestedBy) {
    Projection projection = projection(name);
    ProjectionKeeper keeper = keepers.get(name);
    String checksum = keeper != null ? keeper.checksum() : GenerationStore.checksumOf(projection);
    store.request(projection, checksum, requestedBy);
    if (keeper != null) {
      keeper.lookNow();
    }
    return status(name);
  }

  @Override
  public ProjectionStatus cancelRebuild(String name, String cancelledBy) {
    projection(name);
    if (!store.cancel(name)) {
      throw new ProjectionException(
          ProjectionException.Problem.NO_REBUILD,
          "No rebuild of projection " + name + " is under way");
    }
    log.info("Rebuild of projection {} cancelled by {}", name, cancelledBy);
    ProjectionKeeper keeper = keepers.get(name);
    if (keeper != null) {
      keeper.lookNow();
    }
    return status(name);
  }

  private Projection projection(String name) {
    Projection projection = projections.get(name);
    if (projection == null) {
      throw new ProjectionException(
          ProjectionException.Problem.UNKNOWN_PROJECTION,
          "This service keeps no projection named '"
              + name
              + "'; it keeps "
              + String.join(", ", projections.keySet()));
    }
    return projection;
  }
}
