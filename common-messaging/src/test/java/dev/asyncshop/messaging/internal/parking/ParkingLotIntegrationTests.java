package dev.asyncshop.messaging.internal.parking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.DeadLetterHeaders;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.parking.ActionResult;
import dev.asyncshop.messaging.parking.BulkResult;
import dev.asyncshop.messaging.parking.DeadLetterQuery;
import dev.asyncshop.messaging.parking.ParkedMessage;
import dev.asyncshop.messaging.parking.ParkedPage;
import dev.asyncshop.messaging.parking.ParkedState;
import dev.asyncshop.messaging.parking.ParkedSummary;
import dev.asyncshop.messaging.parking.ParkingLot;
import dev.asyncshop.messaging.parking.ParkingLotException;
import dev.asyncshop.messaging.parking.ParkingLotException.Problem;
import dev.asyncshop.messaging.parking.ReplayOutcome;
import dev.asyncshop.messaging.parking.Selection;
import dev.asyncshop.messaging.test.Probe;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.TestNotice;
import dev.asyncshop.messaging.test.TestMessages.UnhandledCommand;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The parking lot against the real brokers and PostgreSQL: dead letters of all three brokers and
 * refused outbox rows land in it, and are inspected, edited, replayed and purged, with their
 * lineage; operations that race each other are told so.
 */
class ParkingLotIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String MISSING_QUEUE = TestNames.unique("parking.missing");

  static TestApp app;
  static JdbcTemplate jdbc;
  static String service;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("parking");
    service = TestNames.unique("parked");
    Map<String, Object> properties = TestApp.baseProperties(service, TO);
    properties.remove("spring.autoconfigure.exclude");
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", "postgres");
    properties.put("messaging.outbox.enabled", "true");
    properties.put("messaging.outbox.park-after", "2");
    properties.put("messaging.outbox.max-backoff", "200ms");
    properties.put("messaging.idempotency.store", "jdbc");
    properties.put("messaging.parking-lot.poll-interval", "200ms");
    properties.put("messaging.routes[4].destination", MISSING_QUEUE);
    String ddl =
        new ClassPathResource("db/messaging/R__messaging_tables.sql")
            .getContentAsString(StandardCharsets.UTF_8);
    org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser("postgres");
    new JdbcTemplate(dataSource).execute(ddl);
    app = TestApp.start(properties);
    jdbc = app.bean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static ParkingLot lot() {
    return app.bean(ParkingLot.class);
  }

  private static Probe probe() {
    return app.probe();
  }

  /** Waits for the one parked message whose payload says {@code text}. */
  private static ParkedSummary parked(String text) {
    return await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                lot().list(DeadLetterQuery.PARKED, 0, 200).items().stream()
                    .filter(item -> payloadOf(item).contains(text))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static String payloadOf(ParkedSummary item) {
    return String.valueOf(lot().find(item.id()).orElseThrow().payload());
  }

  private static void sendCommand(String text) {
    app.gateway().send(new TestCommand(text), MessageOptions.about("order-" + text));
  }

  @Test
  void aRabbitDeadLetterIsParkedWithEverythingAboutIt() {
    String text = "reject-inspect-" + UUID.randomUUID();
    sendCommand(text);

    ParkedSummary summary = parked(text);
    ParkedMessage message = lot().find(summary.id()).orElseThrow();

    assertThat(summary.transport()).isEqualTo("rabbitmq");
    assertThat(summary.destination()).isEqualTo(TO.queue());
    assertThat(summary.deadLetters()).isEqualTo(TO.queue() + ".dlq");
    assertThat(summary.reason()).isEqualTo(DeadLetterReason.NON_RETRYABLE);
    assertThat(summary.exceptionClass()).endsWith("NonRetryableMessageException");
    assertThat(summary.type()).isEqualTo("test.command.v1");
    assertThat(summary.security()).isFalse();
    assertThat(summary.encrypted()).isFalse();
    assertThat(summary.attempts()).isEqualTo(1);
    assertThat(message.envelope()).isNotNull();
    assertThat(message.envelope().subject()).isEqualTo("order-" + text);
    assertThat(message.payload()).contains(text);
    assertThat(message.stackSummary()).contains("NonRetryableMessageException");
    assertThat(message.headers())
        .containsEntry(DeadLetterHeaders.REASON, "NON_RETRYABLE")
        .containsKey(DeadLetterHeaders.LAST_FAILURE_TIME);
    // Taken out of the broker's dead-letter queue once parked.
    RabbitAdmin admin = new RabbitAdmin(app.bean(ConnectionFactory.class));
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () -> {
              Properties queue = admin.getQueueProperties(TO.queue() + ".dlq");
              return queue != null
                  && ((Number) queue.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue() == 0;
            });
    ParkedPage byCorrelation =
        lot()
            .list(
                DeadLetterQuery.PARKED.withCorrelationId(message.envelope().correlationId()),
                0,
                10);
    assertThat(byCorrelation.items()).extracting(ParkedSummary::id).containsExactly(summary.id());
    assertThat(byCorrelation.countsByReason()).containsEntry("NON_RETRYABLE", 1L);
  }

  @Test
  void anEditThatDoesNotFitItsTypeIsRefusedAndAFittingOneIsReplayedWithItsLineage() {
    String text = "reject-edit-" + UUID.randomUUID();
    sendCommand(text);
    ParkedSummary summary = parked(text);

    assertThatThrownBy(() -> lot().edit(summary.id(), "{\"txt\": \"typo\"}", "alice"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.INVALID_EDIT);
              assertThat(e.getMessage()).contains("no field 'txt'").contains("[text]");
            });
    assertThatThrownBy(() -> lot().edit(summary.id(), "not json", "alice"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_EDIT));

    String fixed = "fixed-" + text;
    ParkedMessage edited = lot().edit(summary.id(), "{\"text\":\"" + fixed + "\"}", "alice");
    assertThat(edited.summary().lineage().editedBy()).isEqualTo("alice");
    ActionResult result = lot().replay(summary.id(), "bob");

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.HANDLED);
    assertThat(probe().handled(fixed)).hasSize(1);
    var envelope = probe().handled(fixed).get(0).envelope();
    assertThat(envelope.extension("replayof")).isEqualTo(summary.id());
    assertThat(envelope.extension("replayedby")).isEqualTo("bob");
    assertThat(envelope.extension("replaycount")).isEqualTo("1");
    ParkedSummary after = lot().find(summary.id()).orElseThrow().summary();
    assertThat(after.state()).isEqualTo(ParkedState.REPLAYED);
    assertThat(after.lineage().replayedBy()).isEqualTo("bob");
    assertThat(after.lineage().replayCount()).isEqualTo(1);

    assertThatThrownBy(() -> lot().replay(summary.id(), "carol"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.STATE_CHANGED);
              assertThat(e.getMessage()).contains("replayed by bob");
            });
    assertThat(probe().handled(fixed)).hasSize(1);
  }

  @Test
  void aReplayThatFailsAgainIsParkedAgainWithTheNewFailure() {
    String text = "flaky-" + UUID.randomUUID();
    probe().alwaysFail(text);
    sendCommand(text);
    ParkedSummary summary = parked(text);
    assertThat(summary.reason()).isEqualTo(DeadLetterReason.RETRIES_EXHAUSTED);

    ActionResult again = lot().replay(summary.id(), "bob");
    assertThat(again.outcome()).isEqualTo(ReplayOutcome.PARKED_AGAIN);
    ParkedSummary parkedAgain = lot().find(summary.id()).orElseThrow().summary();
    assertThat(parkedAgain.state()).isEqualTo(ParkedState.PARKED);
    assertThat(parkedAgain.lineage().replayCount()).isEqualTo(1);

    probe().failTimes(text, 0);
    ActionResult handled = lot().replay(summary.id(), "bob");
    assertThat(handled.outcome()).isEqualTo(ReplayOutcome.HANDLED);
    assertThat(probe().handled(text)).hasSize(1);
    assertThat(probe().handled(text).get(0).envelope().extension("replaycount")).isEqualTo("2");
  }

  @Test
  void replayingAMessageThatWasHandledMeanwhileChangesNothing() {
    String text = "reject-handled-" + UUID.randomUUID();
    sendCommand(text);
    ParkedSummary summary = parked(text);
    jdbc.update(
        "insert into processed_message (consumer_group, message_id, processed_at)"
            + " values (?, ?, now())",
        summary.group(),
        summary.messageId());

    ActionResult result = lot().replay(summary.id(), "bob");

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.ALREADY_HANDLED);
    assertThat(probe().runs(text)).isEqualTo(1);
  }

  @Test
  void ofTwoOperatorsReplayingOneMessageAtOnceOneReplaysItAndTheOtherIsTold() throws Exception {
    String text = "reject-race-" + UUID.randomUUID();
    sendCommand(text);
    ParkedSummary summary = parked(text);
    String slow = "slow-" + text;
    lot().edit(summary.id(), "{\"text\":\"" + slow + "\"}", "alice");
    probe().delay(slow, 1_500);

    CompletableFuture<Object> first =
        CompletableFuture.supplyAsync(() -> attempt(() -> lot().replay(summary.id(), "bob")));
    Thread.sleep(300);
    Object second = attempt(() -> lot().replay(summary.id(), "carol"));
    Object purge = attempt(() -> lot().purge(summary.id(), "dave"));

    assertThat(first.get(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            ActionResult.class, r -> assertThat(r.outcome()).isEqualTo(ReplayOutcome.HANDLED));
    assertThat(second)
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> assertThat(e.getMessage()).contains("being replayed by bob"));
    assertThat(purge)
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> assertThat(e.problem()).isEqualTo(Problem.STATE_CHANGED));
    assertThat(probe().handled(slow)).hasSize(1);
  }

  private static Object attempt(java.util.function.Supplier<ActionResult> action) {
    try {
      return action.get();
    } catch (ParkingLotException e) {
      return e;
    }
  }

  @Test
  void aKafkaDeadLetterOfThisGroupIsParkedAndReplayed() {
    String text = "reject-kafka-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent("k-" + text, text), MessageOptions.about("k-" + text));

    ParkedSummary summary = parked(text);
    assertThat(summary.transport()).isEqualTo("kafka");
    assertThat(summary.destination()).isEqualTo(TO.topic());
    assertThat(summary.deadLetters()).isEqualTo(TO.topic() + ".dlt");
    assertThat(summary.group()).isEqualTo(service);

    String fixed = "fixed-" + text;
    lot().edit(summary.id(), "{\"key\":\"k\",\"text\":\"" + fixed + "\"}", "alice");
    assertThat(lot().replay(summary.id(), "bob").outcome()).isEqualTo(ReplayOutcome.HANDLED);
    assertThat(probe().handled(fixed)).hasSize(1);
  }

  @Test
  void aRedisDeadLetterIsTakenFromItsStreamAndParked() {
    String text = "reject-redis-" + UUID.randomUUID();
    app.gateway().broadcast(new TestNotice(text), MessageOptions.NONE);

    ParkedSummary summary = parked(text);
    assertThat(summary.transport()).isEqualTo("redis");
    assertThat(summary.destination()).isEqualTo(TO.channel());
    assertThat(summary.deadLetters()).isEqualTo(TO.channel() + ".dlq");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                app.context()
                        .getBean("stringRedisTemplate", StringRedisTemplate.class)
                        .opsForStream()
                        .size(TO.channel() + ".dlq")
                    == 0);

    ActionResult purged = lot().purge(summary.id(), "dave");
    assertThat(purged.refused()).isNull();
    ParkedSummary after = lot().find(summary.id()).orElseThrow().summary();
    assertThat(after.state()).isEqualTo(ParkedState.PURGED);
    assertThat(after.lineage().purgedBy()).isEqualTo("dave");
    assertThatThrownBy(() -> lot().replay(summary.id(), "bob"))
        .isInstanceOfSatisfying(
            ParkingLotException.class, e -> assertThat(e.getMessage()).contains("purged by dave"));
  }

  @Test
  void aBulkDryRunSaysWhatItWouldTouchAndTouchesNothing() {
    String text = "reject-bulk-" + UUID.randomUUID();
    sendCommand(text + "-1");
    sendCommand(text + "-2");
    ParkedSummary one = parked(text + "-1");
    ParkedSummary two = parked(text + "-2");

    BulkResult dryRun = lot().purge(Selection.of(List.of(one.id(), two.id())), true, "dave");
    assertThat(dryRun.dryRun()).isTrue();
    assertThat(dryRun.matched()).extracting(ParkedSummary::id).containsExactly(one.id(), two.id());
    assertThat(dryRun.results()).isEmpty();
    assertThat(lot().find(one.id()).orElseThrow().summary().state()).isEqualTo(ParkedState.PARKED);

    BulkResult nothing =
        lot()
            .replay(
                Selection.matching(DeadLetterQuery.PARKED.withCorrelationId("no-such-flow")),
                true,
                "dave");
    assertThat(nothing.matched()).isEmpty();

    BulkResult purged = lot().purge(Selection.of(List.of(one.id(), two.id())), false, "dave");
    assertThat(purged.results()).allSatisfy(r -> assertThat(r.refused()).isNull());
    assertThat(lot().find(two.id()).orElseThrow().summary().state()).isEqualTo(ParkedState.PURGED);
  }

  @Test
  void aMessageWhoseDestinationIsNoLongerConsumedHereCannotBeReplayed() {
    ParkedSummary orphan = parkDirectly("gone.queue." + UUID.randomUUID());

    assertThatThrownBy(() -> lot().replay(orphan.id(), "bob"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.DESTINATION_GONE);
              assertThat(e.getMessage()).contains("Nothing in this service consumes");
            });
    assertThat(lot().find(orphan.id()).orElseThrow().summary().state())
        .isEqualTo(ParkedState.PARKED);
    assertThatThrownBy(() -> lot().replay("no-such-id", "bob"))
        .isInstanceOfSatisfying(
            ParkingLotException.class, e -> assertThat(e.problem()).isEqualTo(Problem.NOT_FOUND));
  }

  private static ParkedSummary parkDirectly(String queue) {
    String id = UUID.randomUUID().toString();
    var envelope =
        new dev.asyncshop.messaging.Envelope(
            id,
            "/elsewhere",
            "test.command.v1",
            java.time.Instant.now(),
            null,
            "application/json",
            "flow-" + id,
            null,
            null,
            null);
    app.bean(DeadLetterIntake.class)
        .park(
            new ArrivedDeadLetter(
                "test:" + id,
                "rabbitmq",
                queue,
                service,
                queue + ".dlq",
                DeadLetterReason.NON_RETRYABLE,
                Map.of(),
                envelope,
                "{\"text\":\"orphan\"}".getBytes(StandardCharsets.UTF_8),
                null));
    return lot().list(DeadLetterQuery.PARKED.withCorrelationId("flow-" + id), 0, 1).items().get(0);
  }

  @Test
  void anOutboxRowTheBrokerKeepsRefusingIsParkedAndLeavesOnceReplayed() {
    TransactionTemplate transactions = app.bean(TransactionTemplate.class);
    String text = "undeliverable-" + UUID.randomUUID();
    transactions.executeWithoutResult(
        status ->
            app.bean(Outbox.class).send(new UnhandledCommand(text), MessageOptions.about(text)));

    ParkedSummary summary =
        await()
            .atMost(30, TimeUnit.SECONDS)
            .dontCatchUncaughtExceptions()
            .until(() -> parkedOrNull(text), java.util.Objects::nonNull);
    assertThat(summary.reason()).isEqualTo(DeadLetterReason.UNDELIVERABLE);
    assertThat(summary.deadLetters()).isEqualTo("outbox");
    assertThat(summary.destination()).isEqualTo(MISSING_QUEUE);
    assertThat(summary.attempts()).isGreaterThanOrEqualTo(2);
    String outboxId =
        jdbc.queryForObject(
            "select outbox_id from parked_message where id = ?", String.class, summary.id());
    assertThat(
            jdbc.queryForObject(
                "select parked_at is not null from outbox where id = ?", Boolean.class, outboxId))
        .isTrue();
    await()
        .dontCatchUncaughtExceptions()
        .untilAsserted(
            () ->
                assertThat(app.meters().get(MessagingMetrics.OUTBOX_PARKED).gauge().value())
                    .isGreaterThanOrEqualTo(1));

    // The queue appears; the replayed row leaves for it with its lineage.
    RabbitAdmin admin = new RabbitAdmin(app.bean(ConnectionFactory.class));
    Queue queue = new Queue(MISSING_QUEUE, false, false, true);
    DirectExchange exchange = new DirectExchange(MISSING_QUEUE + ".exchange", false, true);
    admin.declareQueue(queue);
    admin.declareExchange(exchange);
    admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(MISSING_QUEUE));
    ActionResult result = lot().replay(summary.id(), "bob");

    assertThat(result.outcome()).isEqualTo(ReplayOutcome.QUEUED);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .dontCatchUncaughtExceptions()
        .until(
            () ->
                jdbc.queryForObject(
                    "select sent_at is not null from outbox where id = ?",
                    Boolean.class,
                    outboxId));
    assertThat(
            jdbc.queryForObject("select envelope from outbox where id = ?", String.class, outboxId))
        .contains("\"replayedby\":\"bob\"");
    var sent =
        app.context()
            .getBean("rabbitTemplate", org.springframework.amqp.rabbit.core.RabbitTemplate.class)
            .receive(MISSING_QUEUE, Duration.ofSeconds(5).toMillis());
    assertThat(sent).isNotNull();
    assertThat(new String(sent.getBody(), StandardCharsets.UTF_8)).contains(text);
  }

  @Test
  void aMessageThatFailedLongerAgoThanTheReplayWindowIsNoLongerReplayed() {
    ParkedSummary old = parkDirectly(TO.queue());
    jdbc.update(
        "update parked_message set last_failure_at = now() - interval '7 days' where id = ?",
        old.id());

    assertThatThrownBy(() -> lot().replay(old.id(), "bob"))
        .isInstanceOfSatisfying(
            ParkingLotException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.NOT_REPLAYABLE);
              assertThat(e.getMessage()).contains("replayable-for");
            });
    assertThat(lot().purge(old.id(), "dave").refused()).isNull();
  }

  @Test
  void handledIdsAndTheParkingLotsHistoryLeaveAfterTheirRetention() {
    String group = "retention-" + UUID.randomUUID();
    jdbc.update(
        "insert into processed_message (consumer_group, message_id, processed_at) values"
            + " (?, 'old', now() - interval '8 days'), (?, 'recent', now() - interval '6 days')",
        group,
        group);
    ParkedSummary replayedLongAgo = parkDirectly(TO.queue());
    ParkedSummary parkedLongAgo = parkDirectly(TO.queue());
    jdbc.update(
        "update parked_message set state = 'REPLAYED', state_changed_at = now() - interval '31"
            + " days' where id = ?",
        replayedLongAgo.id());
    jdbc.update(
        "update parked_message set state_changed_at = now() - interval '31 days',"
            + " parked_at = now() - interval '31 days' where id = ?",
        parkedLongAgo.id());

    app.context()
        .getBeansOfType(dev.asyncshop.messaging.internal.jdbc.RetentionSweep.class)
        .values()
        .forEach(dev.asyncshop.messaging.internal.jdbc.RetentionSweep::sweep);

    assertThat(
            jdbc.queryForList(
                "select message_id from processed_message where consumer_group = ?",
                String.class,
                group))
        .containsExactly("recent");
    assertThat(lot().find(replayedLongAgo.id())).isEmpty();
    // Still waiting for an operator: kept, however old.
    assertThat(lot().find(parkedLongAgo.id())).isPresent();
  }

  @Test
  void deadLetterTopicsKeepTheirRecordsAsLongAsTheyMayBeReplayed() throws Exception {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", dev.asyncshop.testsupport.Brokers.kafka()))) {
      var topic =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, TO.topic() + ".dlt");
      var config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      assertThat(config.get(topic).get("retention.ms").value())
          .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
    }
  }

  private static ParkedSummary parkedOrNull(String text) {
    return lot().list(DeadLetterQuery.PARKED, 0, 200).items().stream()
        .filter(item -> "outbox".equals(item.deadLetters()))
        .filter(item -> payloadOf(item).contains(text))
        .findFirst()
        .orElse(null);
  }
}
