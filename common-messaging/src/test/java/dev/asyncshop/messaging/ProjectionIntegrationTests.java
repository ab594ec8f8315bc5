package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.audit.AuditStep;
import dev.asyncshop.messaging.audit.AuditSteps;
import dev.asyncshop.messaging.parking.DeadLetterQuery;
import dev.asyncshop.messaging.parking.ParkedSummary;
import dev.asyncshop.messaging.parking.ParkingLot;
import dev.asyncshop.messaging.parking.ParkingLotException;
import dev.asyncshop.messaging.projection.Generation;
import dev.asyncshop.messaging.projection.GenerationState;
import dev.asyncshop.messaging.projection.Projection;
import dev.asyncshop.messaging.projection.ProjectionException;
import dev.asyncshop.messaging.projection.ProjectionStatus;
import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Projections against the embedded Kafka broker and PostgreSQL: a read model built from its topic,
 * rebuilt beside the one in use and switched over, with nothing lost or doubled under live traffic;
 * a record it cannot apply parked, and a failed attempt's writes undone.
 */
class ProjectionIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String SALES = TestNames.unique("test.sales");
  static final String SERVICE = TestNames.unique("projecting");
  static final String AUDIT = TestNames.unique("test.audit");

  @MessageType("test.sale.v1")
  public record TestSale(String sku, int units) {}

  /** Units sold per product: the read model. */
  public static class SalesProjection {

    static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    final JdbcTemplate jdbc;

    public SalesProjection(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Bean
    static Projection salesPerProduct() {
      return new Projection(
          "test-sales",
          new ByteArrayResource(
              ("create table sales_by_sku (sku varchar(100) primary key, units bigint not null,"
                      + " sales bigint not null);")
                  .getBytes(StandardCharsets.UTF_8)));
    }

    @HandleMessage(projection = "test-sales")
    void on(TestSale sale) {
      if (sale.units() < 0) {
        throw new NonRetryableMessageException("a sale of " + sale.units() + " units");
      }
      jdbc.update(
          "insert into sales_by_sku (sku, units, sales) values (?, ?, 1) on conflict (sku) do"
              + " update set units = sales_by_sku.units + excluded.units,"
              + " sales = sales_by_sku.sales + 1",
          sale.sku(),
          sale.units());
      // Fails once after writing: the retry must find that write undone.
      if (sale.sku().startsWith("flaky") && failedOnce.add(sale.sku())) {
        throw new IllegalStateException("the first attempt fails after its write");
      }
    }
  }

  static TestApp app;
  static JdbcTemplate jdbc;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("projections");
    Map<String, Object> properties = TestApp.baseProperties(SERVICE, TO);
    properties.remove("spring.autoconfigure.exclude");
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", "postgres");
    TestApp.route(properties, 5, "test.sale.v1", "event", "kafka", SALES);
    properties.put("messaging.routes[5].retention", "-1");
    properties.put("messaging.audit.topic", AUDIT);
    properties.put("messaging.projections.audit-trail.enabled", "true");
    org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser("postgres");
    new JdbcTemplate(dataSource)
        .execute(
            new ClassPathResource("db/messaging/R__messaging_tables.sql")
                .getContentAsString(StandardCharsets.UTF_8));
    app = TestApp.start(properties, SalesProjection.class);
    jdbc = app.bean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  static Projections projections() {
    return app.bean(Projections.class);
  }

  static void sell(String sku, int units) {
    app.gateway().publish(new TestSale(sku, units), MessageOptions.about(sku));
  }

  /** The read model as readers see it, through the views: units and sales per product. */
  static Map<String, List<Long>> readModel(String prefix) {
    Map<String, List<Long>> rows = new HashMap<>();
    jdbc.query(
        "select sku, units, sales from sales_by_sku where sku like ?",
        rs -> {
          rows.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3)));
        },
        prefix + "%");
    return rows;
  }

  static Generation awaitActiveAfter(int generation) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> projections().status("test-sales").active(),
            active -> active != null && active.number() > generation);
  }

  static Generation awaitActive() {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> projections().status("test-sales").active(), active -> active != null);
  }

  static boolean schemaExists(String schema) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "select exists (select 1 from information_schema.schemata where schema_name = ?)",
            Boolean.class,
            schema));
  }

  @Test
  void aRebuildReadsTheTopicFromTheStartBesideTheActiveOneAndGivesTheSameReadModel() {
    String run = "same-" + UUID.randomUUID() + "-";
    for (int i = 0; i < 60; i++) {
      sell(run + (i % 7), i + 1);
    }
    Map<String, List<Long>> expected = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      expected.merge(
          run + (i % 7),
          List.of(i + 1L, 1L),
          (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
    }
    Generation before = awaitActive();
    await().atMost(Duration.ofSeconds(30)).until(() -> readModel(run).equals(expected));

    ProjectionStatus asked = projections().rebuild("test-sales", "alice");
    assertThat(asked.building()).isNotNull();
    assertThat(asked.building().requestedBy()).isEqualTo("alice");
    Generation after = awaitActiveAfter(before.number());

    assertThat(readModel(run)).isEqualTo(expected);
    assertThat(after.switchedAt()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                app.meters()
                    .get("messaging.projection.lag")
                    .tags("projection", "test-sales", "generation", "active")
                    .gauge()
                    .value(),
            lag -> lag == 0.0);
    await().atMost(Duration.ofSeconds(20)).until(() -> !schemaExists(before.schema()));
    assertThat(projections().status("test-sales").generations())
        .extracting(Generation::state)
        .containsExactly(GenerationState.ACTIVE);
  }

  @Test
  void aRebuildUnderLiveTrafficLosesAndDoublesNothing() throws Exception {
    String run = "live-" + UUID.randomUUID() + "-";
    for (int i = 0; i < 300; i++) {
      sell(run + (i % 5), 1);
    }
    Generation before = awaitActive();
    AtomicInteger sent = new AtomicInteger(300);
    Thread traffic =
        new Thread(
            () -> {
              for (int i = 0; i < 300; i++) {
                sell(run + (i % 5), 1);
                sent.incrementAndGet();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    traffic.start();
    projections().rebuild("test-sales", "bob");
    awaitActiveAfter(before.number());
    traffic.join();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                readModel(run).values().stream().mapToLong(row -> row.get(0)).sum() >= sent.get());
    Map<String, List<Long>> model = readModel(run);
    assertThat(model).hasSize(5);
    assertThat(model.values()).allSatisfy(row -> assertThat(row).containsExactly(120L, 120L));
  }

  @Test
  void aSecondRebuildWhileOneIsUnderWayIsRefused() {
    awaitActive();
    for (int i = 0; i < 200; i++) {
      sell("refused-" + i, 1);
    }
    int before = awaitActive().number();
    // No writer runs meanwhile, so the first rebuild is still under way when the second is asked.
    Lifecycle engine = (Lifecycle) projections();
    engine.stop();
    try {
      projections().rebuild("test-sales", "carol");

      assertThatThrownBy(() -> projections().rebuild("test-sales", "dave"))
          .isInstanceOfSatisfying(
              ProjectionException.class,
              e ->
                  assertThat(e.problem())
                      .isEqualTo(ProjectionException.Problem.REBUILD_IN_PROGRESS));
    } finally {
      engine.start();
    }
    assertThatThrownBy(() -> projections().rebuild("no-such", "dave"))
        .isInstanceOfSatisfying(
            ProjectionException.class,
            e -> assertThat(e.problem()).isEqualTo(ProjectionException.Problem.UNKNOWN_PROJECTION));
    awaitActiveAfter(before);
  }

  @Test
  void aRecordItCannotApplyIsParkedNotReplayedAndTheProjectionGoesOn() {
    String run = "bad-" + UUID.randomUUID();
    sell(run, -3);
    sell(run, 4);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(run).equals(Map.of(run, List.of(4L, 1L))));
    ParkingLot lot = app.bean(ParkingLot.class);
    ParkedSummary parked =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    lot.list(DeadLetterQuery.PARKED, 0, 200).items().stream()
                        .filter(
                            item ->
                                String.valueOf(lot.find(item.id()).orElseThrow().payload())
                                    .contains(run))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(parked.deadLetters()).isEqualTo("projection:test-sales");
    assertThat(parked.group()).isEqualTo("test-sales");
    assertThat(parked.destination()).isEqualTo(SALES);
    assertThat(parked.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThatThrownBy(() -> lot.replay(parked.id(), "erin"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(ParkingLotException.Problem.NOT_REPLAYABLE);
              assertThat(e.getMessage()).contains("rebuild");
            });
  }

  @Test
  void theAuditTrailProjectionAnswersWhatHappenedToAFlowAndParksWhatIsNoAuditRecord()
      throws Exception {
    String flow = "flow-" + UUID.randomUUID();
    app.gateway()
        .send(
            new TestMessages.TestCommand("audited-" + flow),
            MessageOptions.about(flow).correlatedWith(flow));
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(AUDIT, flow, "not an audit record " + flow)).get();
    }
    AuditSteps steps = app.bean(AuditSteps.class);

    List<AuditStep> found =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> steps.of(flow, 100),
                list -> list.stream().anyMatch(step -> step.outcome().equals("HANDLED")));
    // In the order they happened; a send is audited once the broker confirmed it, which may come
    // after its receipt. Handled at once, its receipt is the HANDLED record alone.
    assertThat(found)
        .extracting(AuditStep::outcome)
        .contains("PUBLISHED", "HANDLED")
        .doesNotContain("RECEIVED");
    assertThat(found).extracting(AuditStep::at).isSorted();
    assertThat(found)
        .allSatisfy(
            step -> {
              assertThat(step.service()).isEqualTo(SERVICE);
              assertThat(step.type()).isEqualTo("test.command.v1");
              assertThat(step.chainId()).startsWith(SERVICE + "/");
              assertThat(step.sequence()).isPositive();
            });
    ParkedSummary junk = awaitParkedByTheAuditTrail(flow);
    assertThat(junk.exceptionMessage()).contains("Not JSON");

    int before = awaitActive("audit-trail").number();
    projections().rebuild("audit-trail", "frank");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> projections().status("audit-trail").active().number() > before);
    assertThat(steps.of(flow, 100)).isEqualTo(found);
  }

  @Test
  void anAuditRecordTheDatabaseRefusesIsParkedAndTheRestOfItsBatchIsApplied() throws Exception {
    String flow = "flow-" + UUID.randomUUID();
    // Valid JSON with everything an audit record needs, but a correlation id longer than its column
    // takes: only the database can refuse it, in the middle of the batch's inserts.
    String tooLong = flow + "-" + "x".repeat(300);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Brokers.kafka(),
                ProducerConfig.LINGER_MS_CONFIG,
                "200"),
            new StringSerializer(),
            new StringSerializer())) {
      // One partition and sent together, so that the three arrive in one batch.
      producer.send(new ProducerRecord<>(AUDIT, 0, flow, auditRecord(flow, "PUBLISHED")));
      producer.send(new ProducerRecord<>(AUDIT, 0, flow, auditRecord(tooLong, "PUBLISHED")));
      producer.send(new ProducerRecord<>(AUDIT, 0, flow, auditRecord(flow, "HANDLED"))).get();
    }
    AuditSteps steps = app.bean(AuditSteps.class);

    List<AuditStep> found =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> steps.of(flow, 10), list -> list.size() == 2);
    assertThat(found).extracting(AuditStep::outcome).containsExactly("PUBLISHED", "HANDLED");
    ParkedSummary refused = awaitParkedByTheAuditTrail(tooLong);
    assertThat(refused.exceptionMessage()).contains("too long");
    assertThat(steps.of(tooLong, 10)).isEmpty();
  }

  /** The record the audit-trail projection parked whose payload holds {@code text}. */
  private static ParkedSummary awaitParkedByTheAuditTrail(String text) {
    ParkingLot lot = app.bean(ParkingLot.class);
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                lot.list(DeadLetterQuery.PARKED, 0, 200).items().stream()
                    .filter(item -> item.deadLetters().equals("projection:audit-trail"))
                    .filter(
                        item ->
                            String.valueOf(lot.find(item.id()).orElseThrow().payload())
                                .contains(text))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static String auditRecord(String correlationId, String outcome) {
    return "{\"time\":\"2026-12-04T10:00:00Z\",\"service\":\"raw-writer\",\"outcome\":\""
        + outcome
        + "\",\"correlationId\":\""
        + correlationId
        + "\",\"type\":\"test.command.v1\",\"attempt\":1}";
  }

  static Generation awaitActive(String projection) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> projections().status(projection).active(), active -> active != null);
  }

  @Test
  void aRestartedEngineGoesOnFromItsStoredOffsetsAndAppliesNothingTwice() {
    String run = "restart-" + UUID.randomUUID();
    for (int i = 0; i < 20; i++) {
      sell(run, 1);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(run).equals(Map.of(run, List.of(20L, 20L))));
    long eventsBefore = awaitActive().events();
    Lifecycle engine = (Lifecycle) projections();

    engine.stop();
    engine.start();
    sell(run, 1);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(run).equals(Map.of(run, List.of(21L, 21L))));
    // Nothing before the restart was read again: one event more, and it stays so.
    await().atMost(Duration.ofSeconds(10)).until(() -> awaitActive().events() == eventsBefore + 1);
    assertThat(readModel(run)).isEqualTo(Map.of(run, List.of(21L, 21L)));
  }

  @Test
  void aRebuildThatCannotFinishIsGivenUpAndTheActiveGenerationGoesOn() {
    int active = awaitActive().number();
    Lifecycle engine = (Lifecycle) projections();
    // No writer runs: the rebuild is asked for and stays where it is.
    engine.stop();
    try {
      ProjectionStatus asked = projections().rebuild("test-sales", "gina");
      assertThat(asked.building()).isNotNull();

      ProjectionStatus cancelled = projections().cancelRebuild("test-sales", "gina");

      assertThat(cancelled.building()).isNull();
      assertThat(cancelled.active().number()).isEqualTo(active);
      assertThatThrownBy(() -> projections().cancelRebuild("test-sales", "gina"))
          .isInstanceOfSatisfying(
              ProjectionException.class,
              e -> assertThat(e.problem()).isEqualTo(ProjectionException.Problem.NO_REBUILD));
    } finally {
      engine.start();
    }
    String run = "after-cancel-" + UUID.randomUUID();
    sell(run, 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(run).equals(Map.of(run, List.of(2L, 1L))));
    assertThat(awaitActive().number()).isEqualTo(active);
  }

  @Test
  void aMessageSentTwiceIsAppliedOnce() throws Exception {
    String sku = "twice-" + UUID.randomUUID();
    sell(sku, 3);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(sku).equals(Map.of(sku, List.of(3L, 1L))));
    // Sent again as it was, as an outbox sends a record again whose acknowledgement was lost.
    ConsumerRecord<String, byte[]> sent = null;
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          reader.partitionsFor(SALES).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (sent == null && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
          if (sku.equals(record.key())) {
            sent = record;
          }
        }
      }
    }
    assertThat(sent).isNotNull();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Brokers.kafka()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(SALES, null, sent.key(), sent.value(), sent.headers()))
          .get();
    }
    sell(sku, 4);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(sku).equals(Map.of(sku, List.of(7L, 2L))));
  }

  @Test
  void aFailedAttemptsWritesAreUndoneBeforeItsRetry() {
    String sku = "flaky-" + UUID.randomUUID();
    sell(sku, 2);
    sell(sku, 3);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> readModel(sku).equals(Map.of(sku, List.of(5L, 2L))));
    assertThat(SalesProjection.failedOnce).contains(sku);
  }
}
