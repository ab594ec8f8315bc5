package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.internal.parking.DeadLetterIntake;
import dev.asyncshop.messaging.projection.Generation;
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
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The service's projections: one keeper each, and their status and rebuilds. */
final class ProjectionEngine implements Projections, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ProjectionEngine.class);
  private static final Duration ASK_KAFKA = Duration.ofSeconds(5);

  private final Map<String, Projection> projections = new TreeMap<>();
  private final Map<String, Map<String, ConsumerPipeline>> pipelines = new TreeMap<>();
  private final Map<String, ProjectionKeeper> keepers = new ConcurrentHashMap<>();
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final GenerationStore store;
  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final DeadLetterIntake parkingLot;
  private @Nullable Consumer<String, byte[]> lagReader;
  private volatile boolean running;

  ProjectionEngine(
      List<Projection> declared,
      List<ConsumerPipeline> projectionPipelines,
      Supplier<Consumer<String, byte[]>> consumers,
      GenerationStore store,
      DataSource dataSource,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
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
      pipelines
          .computeIfAbsent(name, n -> new TreeMap<>())
          .put(pipeline.subscription().destination(), pipeline);
    }
    for (String name : projections.keySet()) {
      if (!pipelines.containsKey(name)) {
        throw new IllegalStateException(
            "Projection "
                + name
                + " has no handlers: annotate them @HandleMessage(projection = \""
                + name
                + "\")");
      }
    }
    this.consumers = consumers;
    this.store = store;
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.parkingLot = parkingLot;
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
    }
  }

  /** The gauge of each projection's lag. */
  static final String LAG = "messaging.projection.lag";

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
                  dataSource,
                  store,
                  row ->
                      new GenerationRunner(
                          row,
                          pipelines.get(name),
                          consumers,
                          store,
                          jdbc,
                          transactions,
                          parkingLot));
          keepers.put(name, keeper);
          keeper.start();
        });
    running = true;
  }

  @Override
  public synchronized void stop() {
    keepers.values().forEach(ProjectionKeeper::stop);
    keepers.clear();
    if (lagReader != null) {
      lagReader.close();
      lagReader = null;
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
    Map<String, ConsumerPipeline> topics = pipelines.get(projection.name());
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    Map<TopicPartition, Long> beginnings = new LinkedHashMap<>();
    boolean ended = ends(topics.keySet(), beginnings, ends);
    List<Generation> generations = new ArrayList<>();
    for (GenerationStore.Row row : store.live(name)) {
      Long lag = null;
      long events = store.events(row.schema());
      if (ended) {
        Map<TopicPartition, Long> written =
            schemaMade(row) ? store.offsets(row.schema()) : Map.of();
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
          long from = written.getOrDefault(end.getKey(), beginnings.get(end.getKey()));
          behind += Math.max(0, end.getValue() - from);
        }
        lag = behind;
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

  private boolean schemaMade(GenerationStore.Row row) {
    Boolean made =
        jdbc.queryForObject(
            "select exists (select 1 from information_schema.tables"
                + " where table_schema = ? and table_name = ?)",
            Boolean.class,
            row.schema(),
            GenerationStore.OFFSETS);
    return Boolean.TRUE.equals(made);
  }

  /** Where each partition of the topics begins and ends now; {@code false} if Kafka did not say. */
  private synchronized boolean ends(
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
        if (infos == null) {
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
