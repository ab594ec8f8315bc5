package dev.asyncshop.messaging.audit;

import dev.asyncshop.messaging.audit.BrokenLink.Reason;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>A chain's records are spread over the partitions (they are keyed by correlation id), and a
 * running writer's newest ones may reach one partition after a later one reached another. So in a
 * chain without its closing record, a hole among records younger than the settle time is not judged
 * yet: the verdict says the tail is pending, and a later reading judges it.
 */
public final class AuditChainVerifier {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Object> consumerConfig;
  private final Duration settle;
  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * @param consumerConfig the Kafka client settings; group, deserializers and commits are set here
   * @param settle how old a record must be before a hole in front of it in an open chain counts as
   *     a missing record, rather than one still on its way
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
      Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
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
    List<ChainVerdict> verdicts =
        judge(chained, beginningsKept, readAt.minus(settle), incomplete != null);
    return new AuditChainReport(topic, since, readAt, read, unchained, verdicts, incomplete);
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
   * @param settledBefore records of an open chain from this time on may still have younger
   *     neighbours on their way
   * @param incomplete the reading stopped early, so holes may be records not yet read
   */
  static List<ChainVerdict> judge(
      List<ChainedRecord> records,
      boolean beginningsKept,
      Instant settledBefore,
      boolean incomplete) {
    Map<String, List<ChainedRecord>> byChain = new LinkedHashMap<>();
    for (ChainedRecord record : records) {
      byChain.computeIfAbsent(record.chain(), id -> new ArrayList<>()).add(record);
    }
    List<ChainVerdict> verdicts = new ArrayList<>();
    byChain.forEach(
        (chain, ofChain) ->
            verdicts.add(judgeChain(chain, ofChain, beginningsKept, settledBefore, incomplete)));
    verdicts.sort(
        Comparator.comparing((ChainVerdict v) -> v.status() != ChainVerdict.Status.BROKEN)
            .thenComparing(ChainVerdict::chain));
    return List.copyOf(verdicts);
  }

  private static ChainVerdict judgeChain(
      String chain,
      List<ChainedRecord> records,
      boolean beginningsKept,
      Instant settledBefore,
      boolean incomplete) {
    List<ChainedRecord> sorted = new ArrayList<>(records);
    sorted.sort(
        Comparator.comparingLong(ChainedRecord::sequence)
            .thenComparingInt(ChainedRecord::partition)
            .thenComparingLong(ChainedRecord::offset));
    String service = sorted.get(0).service();
    // What the writer declared lost, from its gap records whose own hash holds (a forged one that
    // does not is reported where it stands).
    Map<Long, String> declaredLast = new HashMap<>();
    Map<Long, Boolean> declared = new HashMap<>();
    List<DeclaredGap> gaps = new ArrayList<>();
    boolean closed = false;
    long closedAt = -1;
    for (ChainedRecord record : sorted) {
      if (!record.hashHolds()) {
        continue;
      }
      for (AuditChain.LostRange range : record.lost()) {
        gaps.add(
            new DeclaredGap(
                range.from(),
                range.to(),
                record.sequence(),
                Objects.requireNonNullElse(record.detail(), "")));
        for (long s = range.from(); s <= range.to() && s - range.from() < 1_000_000; s++) {
          declared.put(s, true);
        }
        declaredLast.put(range.to(), range.lastHash());
      }
      if ("CHAIN_CLOSED".equals(record.outcome())) {
        closed = true;
        closedAt = record.sequence();
      }
    }
    BrokenLink broken = null;
    String pending = null;
    ChainedRecord previous = null;
    for (ChainedRecord record : sorted) {
      if (broken != null || pending != null) {
        continue;
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
        } else if (beginningsKept && !incomplete) {
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
        long undeclared = -1;
        for (long s = firstMissing; s < record.sequence(); s++) {
          if (!declared.containsKey(s)) {
            undeclared = s;
            break;
          }
        }
        if (undeclared >= 0) {
          if (!closed && (incomplete || !record.timestamp().isBefore(settledBefore))) {
            pending =
                incomplete
                    ? "not judged from sequence "
                        + undeclared
                        + " on: the reading stopped before every record was read"
                    : "not judged from sequence "
                        + undeclared
                        + " on: records that young may still be on their way";
            continue;
          }
          long lastUndeclared = undeclared;
          while (lastUndeclared + 1 < record.sequence()
              && !declared.containsKey(lastUndeclared + 1)) {
            lastUndeclared++;
          }
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
                : declaredLast.get(record.sequence() - 1);
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
    return new ChainVerdict(
        chain,
        service,
        sorted.size(),
        first.sequence(),
        last.sequence(),
        first.sequence() == 1,
        List.copyOf(gaps),
        closed,
        pending,
        broken,
        previous == null ? null : previous.hash());
  }

  private static BrokenLink link(
      String chain, ChainedRecord at, long sequence, Reason reason, String explanation) {
    return new BrokenLink(chain, sequence, at.partition(), at.offset(), reason, explanation);
  }
}
