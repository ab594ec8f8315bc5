package dev.asyncshop.messaging.internal.kafka;

import dev.asyncshop.messaging.audit.AuditChain;
import dev.asyncshop.messaging.audit.AuditChain.LostRange;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.spi.AuditSink;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes audit records to the audit topic, keyed by correlation id so a business flow's records
 * stay in order, through a producer of its own that batches them (see {@code
 * messaging.audit.linger}).
 *
 * <p>A Kafka producer can block its caller (metadata, full buffer) when the broker is away, so
 * records are handed to one background thread through a bounded queue, which keeps that off the
 * message path. When the queue is full, records are dropped and counted rather than slowing
 * business messages down.
 *
 * <p>The thread waits for the first record of a batch, then sleeps a few milliseconds before it
 * takes what has arrived meanwhile. Taking each record as it comes would wake the thread for nearly
 * every record, three per message, a system call and a context switch each for the writer; looking
 * at the queue every few milliseconds instead cost an idle service a couple of hundred wake-ups a
 * second. This way a burst costs one wake-up, nothing to do costs a few a second (the thread also
 * looks for sends that failed meanwhile), and a record waits at most the pause, which nobody waits
 * for.
 *
 * <p>A lifecycle bean in a phase before the producer factory's, so that on shutdown the queue is
 * sent while the producer is still open; the factory then flushes it as it closes.
 *
 * <p>Every record sent joins this instance's hash chain ({@link AuditChain}), on the background
 * thread as it is sent: a record dropped before (queue full, stopped) never had a place in the
 * chain, so it leaves no hole. A record that was chained but whose send then failed does leave one;
 * the sink declares it in a chained {@link AuditOutcome#CHAIN_GAP} record of its own, with the lost
 * sequence numbers and the reason. A clean stop ends the chain with a {@link
 * AuditOutcome#CHAIN_CLOSED} record, written once every earlier send has completed.
 */
final class KafkaAuditSink implements AuditSink, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(KafkaAuditSink.class);

  private static final int QUEUE_CAPACITY = 10_000;
  private static final int BATCH = 1_000;

  /** How long a batch gathers after its first record arrived. */
  private static final Duration GATHER = Duration.ofMillis(5);

  /** How long the thread waits for a first record before it looks for failed sends again. */
  private static final Duration IDLE_WAIT = Duration.ofMillis(250);

  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  /** Enough for any outage's lost ranges, far below Kafka's largest record. */
  private static final int LOST_RANGES_PER_RECORD = 500;

  /** A gap record that itself fails is declared again, a few times at most while stopping. */
  private static final int CLOSING_GAP_ROUNDS = 3;

  private final KafkaTemplate<String, byte[]> template;
  private final String topic;
  private final JsonMapper json;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final String instance;
  private final Clock clock;
  private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

  /** The chain's state, touched only by the worker thread. */
  private volatile @Nullable Chain chain;

  private volatile boolean running;

  /** Records written after the stop have nobody to send them; before the start they wait. */
  private volatile boolean stopped;

  private @Nullable Thread worker;

  KafkaAuditSink(
      KafkaTemplate<String, byte[]> template,
      String topic,
      JsonMapper json,
      MessagingMetrics metrics,
      String serviceName,
      String instance,
      Clock clock) {
    this.template = template;
    this.topic = topic;
    this.json = json;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.instance = instance;
    this.clock = clock;
  }

  /** The chain this sink writes, once started; a restart starts a new one. */
  @Nullable String chainId() {
    Chain current = chain;
    return current == null ? null : current.id;
  }

  @Override
  public void write(AuditRecord record) {
    if (stopped) {
      metrics.auditFailure("kafka-stopped");
    } else if (!queue.offer(record)) {
      metrics.auditFailure("kafka-queue-full");
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    stopped = false;
    chain = new Chain(AuditChain.chainId(serviceName, instance, clock.instant()));
    Thread thread = new Thread(this::drain, "messaging-audit");
    thread.setDaemon(true);
    thread.start();
    worker = thread;
  }

  /** Sends what is queued, for at most a few seconds, then drops and counts the rest. */
  @Override
  public synchronized void stop() {
    stopped = true;
    running = false;
    Thread thread = worker;
    worker = null;
    if (thread == null) {
      return;
    }
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    int dropped = queue.size();
    queue.clear();
    for (int i = 0; i < dropped; i++) {
      metrics.auditFailure("kafka-stopped");
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the producer factory ({@code Integer.MIN_VALUE}) on shutdown, after it on start-up. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 1000;
  }

  private void drain() {
    Chain current = chain;
    if (current == null) {
      return;
    }
    List<AuditRecord> batch = new ArrayList<>(BATCH);
    while (running || !queue.isEmpty()) {
      if (Thread.currentThread().isInterrupted()) {
        // Cut short while stopping: the chain stays open, as a crashed instance's does.
        return;
      }
      declareLost(current);
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        AuditRecord first = awaitRecord();
        if (first == null) {
          continue;
        }
        batch.add(first);
        LockSupport.parkNanos(GATHER.toNanos());
        queue.drainTo(batch, BATCH - 1);
      }
      for (AuditRecord record : batch) {
        send(
            current,
            record,
            record.correlationId() != null ? record.correlationId() : record.messageId(),
            List.of());
      }
      batch.clear();
    }
    close(current);
  }

  /** The next record written, or null after {@link #IDLE_WAIT} or when interrupted. */
  private @Nullable AuditRecord awaitRecord() {
    try {
      return queue.poll(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Waits for every send to complete, declares what was lost meanwhile, and ends the chain, so that
   * a reader can tell a chain that ended from one cut off.
   */
  private void close(Chain current) {
    try {
      for (int round = 0; round < CLOSING_GAP_ROUNDS; round++) {
        template.flush();
        if (current.lost.isEmpty()) {
          break;
        }
        declareLost(current);
      }
      long records = current.sequence;
      send(
          current,
          ownRecord(
              AuditOutcome.CHAIN_CLOSED,
              "chain closed after " + (records + 1) + " records, this one the last"),
          current.id,
          List.of());
      template.flush();
    } catch (RuntimeException e) {
      log.warn("Audit chain {} not closed: {}", current.id, e.toString());
    }
  }

  /** Writes a chained record naming the records whose send failed since the last one. */
  private void declareLost(Chain current) {
    if (current.lost.isEmpty()) {
      return;
    }
    List<Lost> failed = new ArrayList<>();
    for (Lost one = current.lost.poll(); one != null; one = current.lost.poll()) {
      failed.add(one);
    }
    failed.sort(Comparator.comparingLong(Lost::sequence));
    for (int start = 0; start < failed.size(); ) {
      List<LostRange> ranges = new ArrayList<>();
      StringBuilder detail = new StringBuilder("records chained but not sent, sequences ");
      String reason = failed.get(start).reason();
      int i = start;
      while (i < failed.size() && ranges.size() < LOST_RANGES_PER_RECORD) {
        int j = i;
        while (j + 1 < failed.size()
            && failed.get(j + 1).sequence() == failed.get(j).sequence() + 1) {
          j++;
        }
        ranges.add(
            new LostRange(
                failed.get(i).sequence(), failed.get(j).sequence(), failed.get(j).hash()));
        detail.append(ranges.size() == 1 ? "" : ", ").append(failed.get(i).sequence());
        if (j > i) {
          detail.append('-').append(failed.get(j).sequence());
        }
        i = j + 1;
      }
      detail.append(": ").append(reason);
      log.warn("Audit chain {}: {}", current.id, detail);
      send(current, ownRecord(AuditOutcome.CHAIN_GAP, detail.toString()), current.id, ranges);
      start = i;
    }
  }

  private AuditRecord ownRecord(AuditOutcome outcome, String detail) {
    return new AuditRecord(
        null,
        null,
        null,
        "kafka",
        topic,
        null,
        serviceName,
        outcome,
        0,
        Duration.ZERO,
        clock.instant(),
        detail);
  }

  /**
   * Chains the record and sends it. Never throws: this thread is the only one, and must outlive any
   * record. A record that cannot be written as JSON never joins the chain.
   */
  private void send(
      Chain current, AuditRecord record, @Nullable String key, List<LostRange> lostRanges) {
    AuditChain.Sealed sealed;
    long sequence = current.sequence + 1;
    try {
      sealed =
          AuditChain.seal(
              json.writeValueAsBytes(record),
              current.id,
              sequence,
              current.previousHash,
              lostRanges,
              current.sha256);
    } catch (RuntimeException e) {
      metrics.auditFailure("kafka");
      log.warn("Audit record {} not written as JSON: {}", record.messageId(), e.toString());
      return;
    }
    current.sequence = sequence;
    current.previousHash = sealed.hash();
    try {
      template
          .send(topic, key, sealed.value())
          .whenComplete(
              (result, failure) -> {
                if (failure != null) {
                  metrics.auditFailure("kafka");
                  current.lost.add(new Lost(sequence, sealed.hash(), reason(failure)));
                }
              });
    } catch (Throwable e) {
      metrics.auditFailure("kafka");
      current.lost.add(new Lost(sequence, sealed.hash(), reason(e)));
      log.warn("Audit record {} not sent to {}: {}", record.messageId(), topic, e.toString());
    }
  }

  /** The producer's own exception, which the template wraps in one of its own. */
  private static String reason(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.toString();
  }

  /** Where the chain stands: the last sequence given and its hash. */
  private static final class Chain {
    final String id;
    final MessageDigest sha256 = AuditChain.sha256();
    long sequence;
    String previousHash = AuditChain.ZERO_HASH;

    /**
     * Its records whose send failed, reported by the producer's thread. Kept with the chain they
     * belong to: a failure of a previous run's chain arriving after a restart is that chain's,
     * which has nobody left to declare it, never the new one's.
     */
    final Queue<Lost> lost = new ConcurrentLinkedQueue<>();

    Chain(String id) {
      this.id = id;
    }
  }

  private record Lost(long sequence, String hash, String reason) {}
}
