package dev.asyncshop.messaging.audit;

import dev.asyncshop.messaging.audit.BrokenLink.Reason;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the audit topic and judges every hash chain in it (see {@link AuditChain}): each chain's
 * records in sequence order, each record's own hash against its content, each previous hash against
 * the record before, and the sequence numbers for holes. A broken chain is reported at its first
 * broken link, never repaired.
 *
 * <p>A reading takes every partition by {@code assign()}, with no consumer group and no committed
 * offsets, from the beginning or from a time, up to the end offsets the partitions had when it
 * began, and stops earlier at a record limit or a timeout, saying so. The client settings (address,
 * credentials) are the caller's; a read-only user of the topic is enough.
 *
 * <p>A chain's records are spread over the partitions (they are keyed by correlation id), and the
 * producer batches per partition: a running writer's newest ones may reach one partition after a
 * later one reached another, and a killed writer's may die unsent in one partition's batch while a
 * later one was sent to another. So in a chain without its closing record, a hole whose records
 * after it were all written within the settle time of the chain's last one is not judged: pending
 * while that last record is young, an unknown tail after. Holes are not judged either when the
 * reading stopped early, nor, when retention deleted different periods on different partitions, in
 * front of records older than the latest first time still held on them.
 */
public final class AuditChainVerifier {

  private static final Duration POLL = Duration.ofMillis(200);

  /** The most lost ranges of one gap record read and honoured; the sink writes at most 500. */
  static final int LOST_RANGES_HONOURED = 1_000;

  private final Map<String, Object> consumerConfig;
  private final Duration settle;
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * @param consumerConfig the Kafka client settings; group, deserializers and commits are set here
   * @param settle how old a record must be, and how long its chain must go on after it, before a
   *     hole in front of it in an open chain counts as a missing record, rather than one still on
   *     its way or lost with a killed writer; longer than the writers' delivery timeout (30 s)
   */
  public AuditChainVerifier(Map<String, Object> consumerConfig, Duration settle) {
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumerConfig = Map.copyOf(config);
    this.settle = settle;
  }

  /**
   * @param since where to start reading, or {@code null} for each partition's beginning
   * @param recordLimit the most records to read
   * @param timeout the longest to read
   * @throws org.apache.kafka.common.KafkaException when Kafka cannot be read
   */
  public AuditChainReport verify(
      String topic, @Nullable Instant since, long recordLimit, Duration timeout) {
    Instant readAt = Instant.now();
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ChainedRecord> chained = new ArrayList<>();
    long read = 0;
    long unchained = 0;
    String incomplete = null;
    boolean beginningsKept = true;
    Instant retainedFrom = null;
    Map<Integer, Instant> firstHeld = new HashMap<>();
    Map<TopicPartition, Long> beginnings = Map.of();
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.putIfAbsent(
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis()));
    MessageDigest sha256 = AuditChain.sha256();
    // Chain ids, services and outcomes repeat on every record: one copy of each is kept.
    Map<String, String> names = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      beginnings = consumer.beginningOffsets(partitions);
      if (since == null) {
        consumer.seekToBeginning(partitions);
        beginningsKept = beginnings.values().stream().allMatch(offset -> offset == 0);
      } else {
        beginningsKept = false;
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> firsts = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
          OffsetAndTimestamp first = firsts.get(partition);
          consumer.seek(partition, first != null ? first.offset() : ends.get(partition));
        }
      }
      Map<TopicPartition, Long> remaining = new HashMap<>();
      for (TopicPartition partition : partitions) {
        if (consumer.position(partition) < ends.get(partition)) {
          remaining.put(partition, ends.get(partition));
        } else {
          consumer.pause(List.of(partition));
        }
      }
      while (!remaining.isEmpty() && incomplete == null) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          Long end = remaining.get(partition);
          if (end == null || record.offset() >= end) {
            continue;
          }
          if (read == recordLimit) {
            incomplete = "stopped after reading " + read + " records";
            break;
          }
          read++;
          firstHeld.putIfAbsent(record.partition(), Instant.ofEpochMilli(record.timestamp()));
          ChainedRecord parsed = parse(record, sha256, names);
          if (parsed == null) {
            unchained++;
          } else {
            chained.add(parsed);
          }
        }
        for (TopicPartition partition : List.copyOf(remaining.keySet())) {
          if (consumer.position(partition) >= remaining.get(partition)) {
            remaining.remove(partition);
            consumer.pause(List.of(partition));
          }
        }
        if (incomplete == null && !remaining.isEmpty() && System.nanoTime() > deadline) {
          incomplete = "stopped after " + timeout.toMillis() + " ms of reading";
        }
      }
    }
    if (since == null && !beginningsKept) {
      retainedFrom = retainedFrom(beginnings, firstHeld, readAt);
    }
    List<ChainVerdict> verdicts =
        judge(
            chained,
            beginningsKept,
            retainedFrom,
            readAt.minus(settle),
            settle,
            incomplete != null);
    return new AuditChainReport(topic, since, readAt, read, unchained, verdicts, incomplete);
  }

  /**
   * Retention deletes each partition's old segments at its own time, so a chain read from the
   * beginning may have lost one period on one partition and kept it on another: only from the
   * latest of the first times still held on the partitions retention deleted from is every
   * partition whole. A partition that was deleted from and had nothing left to read gives no time:
   * then nothing read is known whole.
   */
  private static Instant retainedFrom(
      Map<TopicPartition, Long> beginnings, Map<Integer, Instant> firstHeld, Instant readAt) {
    Instant from = Instant.MIN;
    for (Map.Entry<TopicPartition, Long> beginning : beginnings.entrySet()) {
      if (beginning.getValue() > 0) {
        Instant first = firstHeld.get(beginning.getKey().partition());
        if (first == null) {
          return readAt;
        }
        if (first.isAfter(from)) {
          from = first;
        }
      }
    }
    return from;
  }

  /**
   * One chained record as read.
   *
   * @param hashHolds whether its own hash matches its content
   * @param problem why its chain member could not be read, or {@code null}
   */
  record ChainedRecord(
      String chain,
      String service,
      long sequence,
      @Nullable String previousHash,
      @Nullable String hash,
      boolean hashHolds,
      @Nullable String outcome,
      @Nullable String detail,
      List<AuditChain.LostRange> lost,
      int partition,
      long offset,
      Instant timestamp,
      @Nullable String problem) {

    String where() {
      return "partition " + partition + " offset " + offset;
    }
  }

  @Nullable ChainedRecord parse(ConsumerRecord<byte[], byte[]> record, MessageDigest sha256) {
    return parse(record, sha256, new HashMap<>());
  }

  /**
   * The record's chain, or {@code null} for a record that is not JSON or carries no chain. Only
   * what judging needs is kept (a gap record's detail, no other's), so that a reading of many
   * records fits in a small heap.
   */
  private @Nullable ChainedRecord parse(
      ConsumerRecord<byte[], byte[]> record, MessageDigest sha256, Map<String, String> names) {
    if (record.value() == null) {
      return null;
    }
    JsonNode node;
    try {
      node = json.readTree(record.value());
    } catch (JacksonException e) {
      return null;
    }
    JsonNode chain = node.path("chain");
    if (!chain.isObject() || !chain.path("id").isString()) {
      return null;
    }
    String problem = null;
    long sequence = -1;
    if (chain.path("sequence").canConvertToLong() && chain.path("sequence").isIntegralNumber()) {
      sequence = chain.path("sequence").asLong();
    } else {
      problem = "its chain member has no sequence number";
    }
    String previous = text(chain, "previousHash");
    String hash = text(chain, "hash");
    if (problem == null && (previous == null || previous.length() != 64)) {
      problem = "its chain member has no previous hash";
    }
    byte[] canonical = AuditChain.canonicalForm(record.value());
    boolean holds =
        canonical != null
            && hash != null
            && hash.equals(AuditChain.carriedHash(record.value()))
            && hash.equals(AuditChain.hash(canonical, sha256));
    List<AuditChain.LostRange> lost = new ArrayList<>();
    for (JsonNode range : chain.path("lost")) {
      if (lost.size() == LOST_RANGES_HONOURED) {
        break;
      }
      String lastHash = text(range, "lastHash");
      if (range.path("from").isIntegralNumber()
          && range.path("to").isIntegralNumber()
          && lastHash != null) {
        lost.add(
            new AuditChain.LostRange(
                range.path("from").asLong(), range.path("to").asLong(), lastHash));
      }
    }
    String service = text(node, "service");
    String outcome = text(node, "outcome");
    return new ChainedRecord(
        names.computeIfAbsent(chain.path("id").asString(), id -> id),
        names.computeIfAbsent(service != null ? service : "", name -> name),
        sequence,
        previous,
        hash,
        holds,
        outcome == null ? null : names.computeIfAbsent(outcome, name -> name),
        lost.isEmpty() ? null : text(node, "detail"),
        List.copyOf(lost),
        record.partition(),
        record.offset(),
        Instant.ofEpochMilli(record.timestamp()),
        problem);
  }

  private static @Nullable String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || !value.isString() ? null : value.asString();
  }

  /**
   * Judges each chain's records.
   *
   * @param beginningsKept every record the topic ever had was read (no retention deleted any, the
   *     reading began at the beginning): a chain that does not start at 1 then lost its start
   * @param retainedFrom when reading from the beginning a topic retention has thinned: the latest
   *     of the first times still held on the partitions it deleted from; before it, some partition
   *     may have lost records that others kept, so holes in front of older records are not judged
   * @param settledBefore records of an open chain from this time on may still have younger
   *     neighbours on their way
   * @param settle how long a record may take to reach the topic after the one chained before it
   * @param incomplete the reading stopped early, so holes may be records not yet read
   */
  static List<ChainVerdict> judge(
      List<ChainedRecord> records,
      boolean beginningsKept,
      @Nullable Instant retainedFrom,
      Instant settledBefore,
      Duration settle,
      boolean incomplete) {
    Map<String, List<ChainedRecord>> byChain = new LinkedHashMap<>();
    for (ChainedRecord record : records) {
      byChain.computeIfAbsent(record.chain(), id -> new ArrayList<>()).add(record);
    }
    Reading reading = new Reading(beginningsKept, retainedFrom, settledBefore, settle, incomplete);
    List<ChainVerdict> verdicts = new ArrayList<>();
    byChain.forEach((chain, ofChain) -> verdicts.add(judgeChain(chain, ofChain, reading)));
    verdicts.sort(
        Comparator.comparing((ChainVerdict v) -> v.status() != ChainVerdict.Status.BROKEN)
            .thenComparing(ChainVerdict::chain));
    return List.copyOf(verdicts);
  }

  /** What the reading tells about the records it did not see. */
  private record Reading(
      boolean beginningsKept,
      @Nullable Instant retainedFrom,
      Instant settledBefore,
      Duration settle,
      boolean incomplete) {}

  /**
   * The sequences a chain's writer declared lost, as ranges: a forged gap record cannot make the
   * reader hold a map entry per sequence it claims.
   */
  private static final class Declared {
    /** Merged ranges: first sequence to last. */
    final TreeMap<Long, Long> covered = new TreeMap<>();

    /** The declared hash of each range's last record, by that record's sequence. */
    final Map<Long, String> lastHashes = new HashMap<>();

    final List<DeclaredGap> gaps = new ArrayList<>();

    void add(AuditChain.LostRange range, ChainedRecord declaredBy) {
      gaps.add(
          new DeclaredGap(
              range.from(),
              range.to(),
              declaredBy.sequence(),
              Objects.requireNonNullElse(declaredBy.detail(), "")));
      lastHashes.putIfAbsent(range.to(), range.lastHash());
      long from = range.from();
      long to = range.to();
      Map.Entry<Long, Long> before = covered.floorEntry(from);
      if (before != null && before.getValue() >= from - 1) {
        from = before.getKey();
        to = Math.max(to, before.getValue());
      }
      for (Map.Entry<Long, Long> next = covered.ceilingEntry(from);
          next != null && next.getKey() <= to + 1;
          next = covered.ceilingEntry(from)) {
        to = Math.max(to, next.getValue());
        covered.remove(next.getKey());
      }
      covered.put(from, to);
    }

    /** The first sequence from {@code from} up to {@code until} (excluded) not declared, or -1. */
    long firstUndeclared(long from, long until) {
      long s = from;
      while (s < until) {
        Map.Entry<Long, Long> range = covered.floorEntry(s);
        if (range == null || range.getValue() < s) {
          return s;
        }
        s = range.getValue() + 1;
      }
      return -1;
    }

    /** The last sequence of the undeclared run starting at {@code from}, before {@code until}. */
    long lastUndeclared(long from, long until) {
      Long next = covered.higherKey(from);
      return next == null ? until - 1 : Math.min(until, next) - 1;
    }
  }

  private static ChainVerdict judgeChain(
      String chain, List<ChainedRecord> records, Reading reading) {
    List<ChainedRecord> sorted = new ArrayList<>(records);
    sorted.sort(
        Comparator.comparingLong(ChainedRecord::sequence)
            .thenComparingInt(ChainedRecord::partition)
            .thenComparingLong(ChainedRecord::offset));
    // A gap record is honoured only while its own link is not found broken: judged again without
    // one whose link fails, the holes it declared are judged as any other.
    Set<ChainedRecord> refused = new HashSet<>();
    while (true) {
      Judged judged = judgeSorted(chain, sorted, reading, refused);
      ChainedRecord at = judged.brokenAt();
      BrokenLink broken = judged.verdict().brokenLink();
      if (at == null
          || broken == null
          || at.lost().isEmpty()
          || broken.reason() != Reason.LINK_MISMATCH
          || !refused.add(at)) {
        return judged.verdict();
      }
    }
  }

  private record Judged(ChainVerdict verdict, @Nullable ChainedRecord brokenAt) {}

  private static Judged judgeSorted(
      String chain, List<ChainedRecord> sorted, Reading reading, Set<ChainedRecord> refused) {
    String service = sorted.get(0).service();
    // What the writer declared lost, from its gap records whose own hash holds (a forged one that
    // does not is reported where it stands), each range before the record that declares it.
    Declared declared = new Declared();
    boolean closed = false;
    long closedAt = -1;
    Instant lastWritten = Instant.MIN;
    for (ChainedRecord record : sorted) {
      if (record.timestamp().isAfter(lastWritten)) {
        lastWritten = record.timestamp();
      }
      if (!record.hashHolds()) {
        continue;
      }
      if (!refused.contains(record)) {
        int honoured = 0;
        for (AuditChain.LostRange range : record.lost()) {
          if (honoured == LOST_RANGES_HONOURED) {
            break;
          }
          if (range.from() >= 1 && range.from() <= range.to() && range.to() < record.sequence()) {
            declared.add(range, record);
            honoured++;
          }
        }
      }
      if ("CHAIN_CLOSED".equals(record.outcome())) {
        closed = true;
        closedAt = record.sequence();
      }
    }
    // The earliest time written from each record on: a hole whose records after it were all written
    // within the settle time of the chain's last one may be the tail of a writer that died.
    Instant[] earliestFrom = new Instant[sorted.size()];
    Instant earliest = Instant.MAX;
    for (int i = sorted.size() - 1; i >= 0; i--) {
      if (sorted.get(i).timestamp().isBefore(earliest)) {
        earliest = sorted.get(i).timestamp();
      }
      earliestFrom[i] = earliest;
    }
    Instant tailFrom = lastWritten.minus(reading.settle());
    boolean live = !lastWritten.isBefore(reading.settledBefore());
    boolean beforeRetention = false;
    BrokenLink broken = null;
    ChainedRecord brokenAt = null;
    String pending = null;
    String unknownTail = null;
    ChainedRecord previous = null;
    for (int i = 0; i < sorted.size(); i++) {
      ChainedRecord record = sorted.get(i);
      if (broken != null || pending != null || unknownTail != null) {
        break;
      }
      brokenAt = record;
      if (reading.retainedFrom() != null && record.timestamp().isBefore(reading.retainedFrom())) {
        beforeRetention = true;
      }
      if (record.problem() != null) {
        broken = link(chain, record, record.sequence(), Reason.UNREADABLE, record.problem());
        continue;
      }
      if (previous != null && record.sequence() == previous.sequence()) {
        if (Objects.equals(record.hash(), previous.hash()) && record.hashHolds()) {
          // The same record twice (a producer's retry): nothing to judge.
          continue;
        }
        broken =
            link(
                chain,
                record,
                record.sequence(),
                Reason.DUPLICATE,
                "two different records have sequence "
                    + record.sequence()
                    + ": at "
                    + previous.where()
                    + " and at "
                    + record.where());
        continue;
      }
      if (!record.hashHolds()) {
        broken =
            link(
                chain,
                record,
                record.sequence(),
                Reason.ALTERED,
                "its own hash "
                    + record.hash()
                    + " does not match its content: the record was changed after it was written");
        continue;
      }
      if (closed && record.sequence() > closedAt) {
        broken =
            link(
                chain,
                record,
                record.sequence(),
                Reason.LINK_MISMATCH,
                "it follows the chain's closing record (sequence " + closedAt + "): inserted");
        continue;
      }
      String expected;
      if (previous == null) {
        if (record.sequence() == 1) {
          expected = AuditChain.ZERO_HASH;
        } else if (reading.beginningsKept() && !reading.incomplete()) {
          broken =
              link(
                  chain,
                  record,
                  1,
                  Reason.MISSING,
                  "the chain's first records (sequences 1-"
                      + (record.sequence() - 1)
                      + ") are missing, though the topic was read from its first record; the first"
                      + " one read is at "
                      + record.where());
          continue;
        } else {
          // Its start is before what was read: nothing to check this record's link against.
          expected = null;
        }
      } else {
        long firstMissing = previous.sequence() + 1;
        long undeclared = declared.firstUndeclared(firstMissing, record.sequence());
        if (undeclared >= 0) {
          if (reading.incomplete()) {
            pending =
                "not judged from sequence "
                    + undeclared
                    + " on: the reading stopped before every record was read";
            continue;
          }
          if (reading.retainedFrom() != null
              && record.timestamp().isBefore(reading.retainedFrom())) {
            // Retention may have deleted it from its partition while others kept their records
            // of that time: nothing to judge, nor to check this record's link against.
            previous = record;
            continue;
          }
          if (!closed
              && (!record.timestamp().isBefore(reading.settledBefore())
                  || !earliestFrom[i].isBefore(tailFrom))) {
            if (live) {
              pending =
                  "not judged from sequence "
                      + undeclared
                      + " on: records that young may still be on their way";
            } else {
              unknownTail =
                  "sequences from "
                      + undeclared
                      + " on are unknown: the chain has no closing record, and every record read"
                      + " after that one was written within "
                      + reading.settle()
                      + " of its last; records its writer had chained but not yet sent when it"
                      + " stopped (killed, crashed) were lost with it";
            }
            continue;
          }
          long lastUndeclared = declared.lastUndeclared(undeclared, record.sequence());
          broken =
              link(
                  chain,
                  record,
                  undeclared,
                  Reason.MISSING,
                  (undeclared == lastUndeclared
                          ? "sequence " + undeclared + " is missing"
                          : "sequences " + undeclared + "-" + lastUndeclared + " are missing")
                      + " and no gap was declared for it: removed (the record after it is sequence "
                      + record.sequence()
                      + " at "
                      + record.where()
                      + ")");
          continue;
        }
        expected =
            firstMissing == record.sequence()
                ? previous.hash()
                : declared.lastHashes.get(record.sequence() - 1);
      }
      if (expected != null && !expected.equals(record.previousHash())) {
        String before =
            previous == null
                ? "a chain's first record names zeros"
                : previous.sequence() == record.sequence() - 1
                    ? "record "
                        + previous.sequence()
                        + " at "
                        + previous.where()
                        + " has "
                        + expected
                    : "the gap its writer declared ends with " + expected;
        broken =
            link(
                chain,
                record,
                record.sequence(),
                Reason.LINK_MISMATCH,
                "its previous hash "
                    + record.previousHash()
                    + " does not match the record before it ("
                    + before
                    + "): that record was replaced, or records were removed, reordered or"
                    + " inserted");
        continue;
      }
      previous = record;
    }
    ChainedRecord first = sorted.get(0);
    ChainedRecord last = sorted.get(sorted.size() - 1);
    ChainVerdict verdict =
        new ChainVerdict(
            chain,
            service,
            sorted.size(),
            first.sequence(),
            last.sequence(),
            first.sequence() == 1,
            List.copyOf(declared.gaps),
            closed,
            pending,
            unknownTail,
            beforeRetention ? reading.retainedFrom() : null,
            broken,
            previous == null ? null : previous.hash());
    return new Judged(verdict, broken == null ? null : brokenAt);
  }

  private static BrokenLink link(
      String chain, ChainedRecord at, long sequence, Reason reason, String explanation) {
    return new BrokenLink(chain, sequence, at.partition(), at.offset(), reason, explanation);
  }
}
