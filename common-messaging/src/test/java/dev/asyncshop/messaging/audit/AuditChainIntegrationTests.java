package dev.asyncshop.messaging.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.audit.BrokenLink.Reason;
import dev.asyncshop.messaging.internal.AuditTrail;
import dev.asyncshop.messaging.spi.AuditOutcome;
import dev.asyncshop.messaging.spi.AuditRecord;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.kafka.core.ProducerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chains a real service context writes to a real audit topic, verified as an operator's tool
 * reads them, and the same records tampered with in a copy of the topic: the copy holds the forged
 * record where the original stood, as a writer with the topic's rights could make it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditChainIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PARTITIONS = 3;

  private final String auditTopic = TestNames.unique("audit.events");
  private final String service = TestNames.unique("chained");
  private final AuditChainVerifier verifier =
      new AuditChainVerifier(
          Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()), Duration.ofMinutes(2));

  private Map<String, Object> auditProducerConfig = Map.of();

  /** Two instances of one service write to one audit topic, one of them losing a record. */
  @BeforeAll
  void twoInstancesWriteTheirChains() throws Exception {
    createTopic(auditTopic);
    TestApp.Destinations to = TestApp.Destinations.unique();
    Map<String, Object> properties = TestApp.baseProperties(service, to);
    properties.put("messaging.audit.topic", auditTopic);
    // The record too large to send would fill the test's log.
    properties.put("messaging.audit.log", "false");
    try (TestApp first = TestApp.start(properties);
        TestApp second = TestApp.start(properties)) {
      auditProducerConfig =
          first
              .context()
              .getBean("messagingAuditProducerFactory", ProducerFactory.class)
              .getConfigurationProperties();
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String text = "chained-" + i + "-" + UUID.randomUUID();
        texts.add(text);
        (i % 2 == 0 ? first : second).gateway().send(new TestCommand(text));
      }
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  texts.stream()
                      .allMatch(
                          t ->
                              first.probe().handled(t).size() + second.probe().handled(t).size()
                                  == 1));
      // Larger than the producer may send: chained, then lost, then declared by the sink.
      second
          .bean(AuditTrail.class)
          .recordBreakerTransition("kafka", "too-large", Duration.ZERO, "x".repeat(2_000_000));
      second.gateway().send(new TestCommand("after-the-gap-" + UUID.randomUUID()));
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  readAll(auditTopic).stream().anyMatch(r -> outcome(r) == AuditOutcome.CHAIN_GAP));
    }
  }

  @Test
  void theAuditProducerGivesARecordUpWellWithinTheSettleTime() {
    // A record still retrying after the settle time would make a running chain look cut.
    assertThat(auditProducerConfig.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
        .isEqualTo(30_000);
    assertThat(
            ((Number) auditProducerConfig.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).longValue()
                + ((Number) auditProducerConfig.get(ProducerConfig.LINGER_MS_CONFIG)).longValue())
        .isLessThanOrEqualTo(30_000);
  }

  @Test
  void chainsOfARealServiceVerifyCleanAndClosed() {
    AuditChainReport report = verifier.verify(auditTopic, null, 100_000, Duration.ofSeconds(20));

    assertThat(report.incomplete()).isNull();
    assertThat(report.broken()).isFalse();
    List<ChainVerdict> chains = ofService(report);
    assertThat(chains).hasSize(2);
    assertThat(chains)
        .allSatisfy(
            chain -> {
              assertThat(chain.status()).isEqualTo(ChainVerdict.Status.CLOSED);
              assertThat(chain.firstSequence()).isEqualTo(1);
              assertThat(chain.startRead()).isTrue();
              assertThat(chain.records()).isGreaterThanOrEqualTo(4);
              assertThat(chain.chain()).startsWith(service + "/");
            });
  }

  @Test
  void twoInstancesKeepTheirChainsApart() {
    List<ConsumerRecord<byte[], byte[]>> records = readAll(auditTopic);
    Map<String, List<Long>> sequences = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      var chain = JSON.readTree(record.value()).path("chain");
      sequences
          .computeIfAbsent(chain.path("id").asString(), id -> new ArrayList<>())
          .add(chain.path("sequence").asLong());
    }
    assertThat(sequences).hasSize(2);
    // Each chain numbers its own records from 1, without a hole or a repeat but the declared one.
    assertThat(sequences.values())
        .allSatisfy(
            numbers ->
                assertThat(numbers.stream().sorted().distinct().count()).isEqualTo(numbers.size()));
  }

  @Test
  void aLostRecordIsADeclaredGapNotABreak() {
    AuditChainReport report = verifier.verify(auditTopic, null, 100_000, Duration.ofSeconds(20));

    ChainVerdict withGap =
        ofService(report).stream()
            .filter(c -> !c.declaredGaps().isEmpty())
            .findFirst()
            .orElseThrow();
    assertThat(withGap.brokenLink()).isNull();
    assertThat(withGap.declaredGaps()).hasSize(1);
    DeclaredGap gap = withGap.declaredGaps().get(0);
    assertThat(gap.to()).isEqualTo(gap.from());
    assertThat(gap.reason()).contains("RecordTooLarge");
    assertThat(withGap.status()).isEqualTo(ChainVerdict.Status.CLOSED);
  }

  @Test
  void theRecordsStayReadableAsAuditRecords() {
    for (ConsumerRecord<byte[], byte[]> record : readAll(auditTopic)) {
      AuditRecord read = JSON.readValue(record.value(), AuditRecord.class);
      assertThat(read.service()).isEqualTo(service);
    }
  }

  @Test
  void aRecordAlteredInPlaceIsTheFirstBrokenLink() throws Exception {
    ConsumerRecord<byte[], byte[]> victim = someMiddleRecord();
    String chain = chainOf(victim);
    long sequence = sequenceOf(victim);
    String forged =
        new String(victim.value(), StandardCharsets.UTF_8)
            .replaceFirst("\"detail\":(null|\"[^\"]*\")", "\"detail\":\"nothing happened here\"");
    assertThat(forged).isNotEqualTo(new String(victim.value(), StandardCharsets.UTF_8));

    String copy =
        copyWith(r -> same(r, victim) ? forged.getBytes(StandardCharsets.UTF_8) : r.value());
    AuditChainReport report = verifier.verify(copy, null, 100_000, Duration.ofSeconds(20));

    BrokenLink broken = verdictOf(report, chain).brokenLink();
    assertThat(broken).isNotNull();
    assertThat(broken.reason()).isEqualTo(Reason.ALTERED);
    assertThat(broken.sequence()).isEqualTo(sequence);
    assertThat(broken.partition()).isEqualTo(victim.partition());
    assertThat(broken.chain()).isEqualTo(chain);
    assertThat(report.chains().stream().filter(c -> c.brokenLink() != null)).hasSize(1);
  }

  @Test
  void aForgedRecordWithARecomputedHashBreaksTheNextLink() throws Exception {
    ConsumerRecord<byte[], byte[]> victim = someMiddleRecord();
    String chain = chainOf(victim);
    long sequence = sequenceOf(victim);
    byte[] canonical = AuditChain.canonicalForm(victim.value());
    String text = new String(canonical, StandardCharsets.UTF_8);
    int chainAt = text.lastIndexOf(",\"chain\":");
    String record =
        text.substring(0, chainAt).replaceFirst("\"attempt\":\\d+", "\"attempt\":99") + "}";
    var member = JSON.readTree(victim.value()).path("chain");
    byte[] resealed =
        AuditChain.seal(
                record.getBytes(StandardCharsets.UTF_8),
                chain,
                sequence,
                member.path("previousHash").asString(),
                List.of(),
                AuditChain.sha256())
            .value();

    String copy = copyWith(r -> same(r, victim) ? resealed : r.value());
    BrokenLink broken =
        verdictOf(verifier.verify(copy, null, 100_000, Duration.ofSeconds(20)), chain).brokenLink();

    assertThat(broken).isNotNull();
    assertThat(broken.reason()).isEqualTo(Reason.LINK_MISMATCH);
    assertThat(broken.sequence()).isEqualTo(sequence + 1);
  }

  @Test
  void aRemovedRecordIsNamed() throws Exception {
    ConsumerRecord<byte[], byte[]> victim = someMiddleRecord();
    String chain = chainOf(victim);
    long sequence = sequenceOf(victim);

    String copy = copyWith(r -> same(r, victim) ? null : r.value());
    BrokenLink broken =
        verdictOf(verifier.verify(copy, null, 100_000, Duration.ofSeconds(20)), chain).brokenLink();

    assertThat(broken).isNotNull();
    assertThat(broken.reason()).isEqualTo(Reason.MISSING);
    assertThat(broken.sequence()).isEqualTo(sequence);
    assertThat(broken.explanation()).contains("sequence " + sequence + " is missing");
  }

  @Test
  void aChainCutAtItsTailIsNoLongerClosed() throws Exception {
    ConsumerRecord<byte[], byte[]> closing =
        readAll(auditTopic).stream()
            .filter(r -> outcome(r) == AuditOutcome.CHAIN_CLOSED)
            .findFirst()
            .orElseThrow();

    String copy = copyWith(r -> same(r, closing) ? null : r.value());
    ChainVerdict verdict =
        verdictOf(verifier.verify(copy, null, 100_000, Duration.ofSeconds(20)), chainOf(closing));

    assertThat(verdict.brokenLink()).isNull();
    assertThat(verdict.status()).isEqualTo(ChainVerdict.Status.OPEN);
  }

  @Test
  void theCommandExitsNonZeroOnABrokenChain() throws Exception {
    ConsumerRecord<byte[], byte[]> victim = someMiddleRecord();
    String copy = copyWith(r -> same(r, victim) ? null : r.value());
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();

    int broken =
        AuditChainCommand.run(
            new String[] {"--bootstrap-servers", Brokers.kafka(), "--topic", copy},
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    int clean =
        AuditChainCommand.run(
            new String[] {"--bootstrap-servers=" + Brokers.kafka(), "--topic=" + auditTopic},
            new java.io.PrintStream(
                new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(broken).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("BROKEN " + chainOf(victim))
        .contains("MISSING");
    assertThat(clean).isZero();
  }

  private List<ChainVerdict> ofService(AuditChainReport report) {
    return report.chains().stream().filter(c -> c.service().equals(service)).toList();
  }

  private static ChainVerdict verdictOf(AuditChainReport report, String chain) {
    return report.chains().stream().filter(c -> c.chain().equals(chain)).findFirst().orElseThrow();
  }

  /** A record of a message (not the first, not the sink's own) with a record after it. */
  private ConsumerRecord<byte[], byte[]> someMiddleRecord() {
    return readAll(auditTopic).stream()
        .filter(r -> outcome(r) == AuditOutcome.HANDLED && sequenceOf(r) > 1)
        .findFirst()
        .orElseThrow();
  }

  private static boolean same(ConsumerRecord<byte[], byte[]> a, ConsumerRecord<byte[], byte[]> b) {
    return a.partition() == b.partition() && a.offset() == b.offset();
  }

  private static @Nullable AuditOutcome outcome(ConsumerRecord<byte[], byte[]> record) {
    String outcome = JSON.readTree(record.value()).path("outcome").asString();
    return outcome == null ? null : AuditOutcome.valueOf(outcome);
  }

  private static String chainOf(ConsumerRecord<byte[], byte[]> record) {
    return JSON.readTree(record.value()).path("chain").path("id").asString();
  }

  private static long sequenceOf(ConsumerRecord<byte[], byte[]> record) {
    return JSON.readTree(record.value()).path("chain").path("sequence").asLong();
  }

  /**
   * A copy of the audit topic, record by record into the same partition with the same key and time,
   * each value as the function gives it ({@code null}: left out).
   */
  private String copyWith(Function<ConsumerRecord<byte[], byte[]>, byte @Nullable []> value)
      throws ExecutionException, InterruptedException {
    String copy = TestNames.unique("audit.copy");
    createTopic(copy);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Brokers.kafka(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      for (ConsumerRecord<byte[], byte[]> record : readAll(auditTopic)) {
        byte[] written = value.apply(record);
        if (written != null) {
          producer
              .send(
                  new ProducerRecord<>(
                      copy, record.partition(), record.timestamp(), record.key(), written))
              .get();
        }
      }
    }
    return copy;
  }

  private static void createTopic(String topic) throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    }
  }

  /** Every record of the topic as it is now. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Brokers.kafka(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
