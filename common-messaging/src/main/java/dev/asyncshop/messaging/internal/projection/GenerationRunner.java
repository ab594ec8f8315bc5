package dev.asyncshop.messaging.internal.projection;

import dev.asyncshop.messaging.projection.GenerationState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one generation of a projection: reads its topics from where the generation's offsets say
 * (the first record for a new one), and applies each poll's records in one transaction with the
 * offsets past them.
 *
 * <p>Why a plain consumer and not a listener container: the offsets live in the database, written
 * in the transaction of the records' writes, and the consumer must start from them; a container
 * commits to Kafka and recovers a failed batch record by record. Here a failed batch is rolled back
 * whole, the consumer is closed, and reading starts again from the stored offsets after a pause.
 *
 * <p>A generation being built switches readers over to itself once it has read every partition up
 * to where it ended when the generation started; it then goes on as the active one.
 */
final class GenerationRunner {

  private static final Logger log = LoggerFactory.getLogger(GenerationRunner.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);
  private static final Duration PARTITIONS_CHECK = Duration.ofSeconds(30);

  /** The offsets in the database are not where this writer left them: another one wrote. */
  static final class FencedException extends RuntimeException {
    FencedException(String message) {
      super(message);
    }
  }

  private final String projection;
  private final GenerationStore.Row row;
  private final Map<String, RecordApplier> applierOfTopic;

  /** Whether every topic is read as raw records, whose batches may be applied twice. */
  private final boolean rawOnly;

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final GenerationStore store;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean building;
  private volatile @Nullable Consumer<String, byte[]> consumer;

  /** Records on the topics past what was read, as of the last poll; -1 while not known. */
  private volatile long lag = -1;

  GenerationRunner(
      GenerationStore.Row row,
      Map<String, RecordApplier> applierOfTopic,
      Supplier<Consumer<String, byte[]>> consumers,
      GenerationStore store,
      JdbcTemplate jdbc,
      TransactionTemplate transactions) {
    this.projection = row.projection();
    this.row = row;
    this.applierOfTopic = Map.copyOf(applierOfTopic);
    this.rawOnly = applierOfTopic.values().stream().noneMatch(RecordApplier::throughPipeline);
    this.consumers = consumers;
    this.store = store;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.building = row.state() == GenerationState.BUILDING;
    this.thread = new Thread(this::run, "projection-" + projection + "-" + row.generation());
    this.thread.setDaemon(true);
  }

  GenerationStore.Row row() {
    return row;
  }

  /** Whether it is still building, as far as this writer knows. */
  boolean building() {
    return building;
  }

  /** Records not read yet, as of the last poll; -1 while not known. */
  long lag() {
    return lag;
  }

  void start() {
    thread.start();
  }

  /** Tells the writer to stop after the batch in hand, without waiting for it. */
  void stopSoon() {
    running = false;
    lag = -1;
    Consumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
  }

  /**
   * Stops after the batch in hand, whose transaction then commits or rolls back whole. Should the
   * batch outlast the wait, a writer that takes over is fenced off by the stored offsets until it
   * ends.
   */
  void stop() {
    stopSoon();
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration pause = FIRST_PAUSE;
    while (running) {
      try (Consumer<String, byte[]> opened = consumers.get()) {
        consumer = opened;
        follow(opened);
      } catch (WakeupException stopping) {
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "Projection {} generation {} stopped reading ({}); starting again from its stored"
                + " offsets in {} ms",
            projection,
            row.generation(),
            e.toString(),
            pause.toMillis());
        sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      } finally {
        consumer = null;
      }
    }
  }

  /**
   * Reads from the stored offsets until stopped, until a batch fails, or until the topics'
   * partitions change (a partition added is then read from its start).
   */
  private void follow(Consumer<String, byte[]> reader) {
    List<TopicPartition> partitions = partitionsOf(reader);
    reader.assign(partitions);
    // A row for every partition before the first batch, so that every batch finds the rows of all
    // its partitions to lock and compare, a partition not read yet included.
    store.track(row.schema(), partitions);
    Map<TopicPartition, Long> written = store.offsets(row.schema());
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      long next = written.get(partition);
      if (next == GenerationStore.FROM_START) {
        fromStart.add(partition);
      } else {
        reader.seek(partition, next);
      }
    }
    // Never with an empty list: Kafka reads that as every assigned partition.
    if (!fromStart.isEmpty()) {
      reader.seekToBeginning(fromStart);
    }
    Map<TopicPartition, Long> targets = building ? reader.endOffsets(partitions) : Map.of();
    long partitionsCheckedAt = System.nanoTime();
    while (running) {
      ConsumerRecords<String, byte[]> records = reader.poll(POLL);
      if (!records.isEmpty()) {
        written = applyRefusingCarefully(records, written);
      }
      lag = lag(reader, partitions);
      if (building && caughtUp(reader, targets)) {
        switchOver();
      }
      if (System.nanoTime() - partitionsCheckedAt > PARTITIONS_CHECK.toNanos()) {
        partitionsCheckedAt = System.nanoTime();
        if (!new HashSet<>(partitionsOf(reader)).equals(new HashSet<>(partitions))) {
          throw new IllegalStateException("the partitions of its topics changed");
        }
      }
    }
  }

  private List<TopicPartition> partitionsOf(Consumer<String, byte[]> reader) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : applierOfTopic.keySet()) {
      List<PartitionInfo> infos = reader.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "Topic '"
                + topic
                + "' has no partitions yet, so projection "
                + projection
                + " cannot read it");
      }
      infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    }
    return partitions;
  }

  /**
   * The batch without a savepoint per raw record, and again with them should one be refused, when
   * the projection reads raw records only (see {@link RecordApplier}); carefully at once otherwise.
   */
  private Map<TopicPartition, Long> applyRefusingCarefully(
      ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> written) {
    if (!rawOnly) {
      return apply(records, written, true);
    }
    try {
      return apply(records, written, false);
    } catch (RecordApplier.RefusedInBatch refused) {
      return apply(records, written, true);
    }
  }

  /**
   * One transaction: the generation's schema first on the search path, the offsets locked and
   * checked, every record applied (or parked), the offsets moved past them.
   *
   * @return the offsets as now stored
   */
  private Map<TopicPartition, Long> apply(
      ConsumerRecords<String, byte[]> records, Map<TopicPartition, Long> written, boolean careful) {
    return transactions.execute(
        status -> {
          jdbc.queryForObject(
              "select set_config('search_path', ? || ', ' || current_setting('search_path'),"
                  + " true)",
              String.class,
              row.schema());
          Map<TopicPartition, Long> stored = store.lockOffsets(row.schema());
          if (!stored.equals(written)) {
            throw new FencedException(
                "its stored offsets moved under it: another instance wrote generation "
                    + row.generation());
          }
          Map<TopicPartition, Long> next = new HashMap<>();
          Map<TopicPartition, Long> read = new HashMap<>();
          if (careful) {
            for (ConsumerRecord<String, byte[]> record : records) {
              applierOfTopic.get(record.topic()).apply(record, projection, row.generation());
            }
          } else {
            // A topic's records at once, in the order they were read, so that a handler can
            // write them in one round trip.
            Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> record : records) {
              byTopic.computeIfAbsent(record.topic(), topic -> new ArrayList<>()).add(record);
            }
            byTopic.forEach(
                (topic, ofTopic) ->
                    applierOfTopic.get(topic).applyAll(ofTopic, projection, row.generation()));
          }
          for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            next.put(partition, record.offset() + 1);
            read.merge(partition, 1L, Long::sum);
          }
          store.advance(row.schema(), next, read);
          Map<TopicPartition, Long> now = new HashMap<>(written);
          now.putAll(next);
          return now;
        });
  }

  /** From the high watermarks the last fetches brought: no request to the broker. */
  private static long lag(Consumer<String, byte[]> reader, List<TopicPartition> partitions) {
    long behind = 0;
    for (TopicPartition partition : partitions) {
      OptionalLong partitionLag = reader.currentLag(partition);
      if (partitionLag.isEmpty()) {
        return -1;
      }
      behind += partitionLag.getAsLong();
    }
    return behind;
  }

  private static boolean caughtUp(
      Consumer<String, byte[]> reader, Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
      if (reader.position(target.getKey()) < target.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void switchOver() {
    if (store.switchTo(row)) {
      log.info(
          "Projection {} generation {} has caught up; readers now see it",
          projection,
          row.generation());
    }
    building = false;
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
