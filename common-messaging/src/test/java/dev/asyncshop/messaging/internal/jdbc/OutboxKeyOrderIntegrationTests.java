package dev.asyncshop.messaging.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.spi.CloudEventAttributes;
import dev.asyncshop.messaging.test.Probe;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.UnhandledCommand;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox keeps the order of each partition key: two instances of one service relay from the
 * same table side by side, and a third takes what they send from the real brokers.
 */
class OutboxKeyOrderIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String MISSING_QUEUE = TestNames.unique("no.such.queue");
  static final String DDL = "db/messaging/R__messaging_tables.sql";

  static TestApp consumer;
  static List<TestApp> relays = new ArrayList<>();
  static JdbcTemplate jdbc;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("outbox_order");
    jdbc = new JdbcTemplate(dataSource(url));
    jdbc.execute(ddl());
    String service = TestNames.unique("relayed");
    for (int i = 0; i < 2; i++) {
      Map<String, Object> properties = TestApp.baseProperties(service, TO);
      properties.remove("spring.autoconfigure.exclude");
      properties.putAll(TestDatabases.springProperties(url));
      properties.put("messaging.outbox.enabled", "true");
      // Small batches, so the keys are spread over many batches and both relays.
      properties.put("messaging.outbox.batch-size", "5");
      properties.put("messaging.routes[4].destination", MISSING_QUEUE);
      relays.add(TestApp.startSender(properties));
    }
    consumer = TestApp.start(TestApp.baseProperties(TestNames.unique("receiver"), TO));
  }

  @AfterAll
  static void stop() {
    relays.forEach(TestApp::close);
    consumer.close();
  }

  @Test
  void aKeyWhoseOldestRowKeepsFailingHoldsUpItsLaterRowsButNoOtherKey() {
    String stuck = "stuck-" + UUID.randomUUID();
    String flowing = "flowing-" + UUID.randomUUID();
    write(
        0,
        outbox -> {
          outbox.send(new UnhandledCommand("refused"), MessageOptions.about(stuck));
          outbox.send(new TestCommand(stuck + "-command"), MessageOptions.about(stuck));
          outbox.publish(new TestEvent(stuck, stuck + "-event"), MessageOptions.about(stuck));
          outbox.send(new TestCommand(flowing + "-command"), MessageOptions.about(flowing));
          outbox.publish(new TestEvent(flowing, flowing + "-event"), MessageOptions.about(flowing));
        });
    String head =
        jdbc.queryForObject(
            "select id from outbox where partition_key = ? order by seq limit 1",
            String.class,
            stuck);

    awaitRelays()
        .until(
            () -> probe().runs(flowing + "-command") == 1 && probe().runs(flowing + "-event") == 1);
    // Tried again after its first backoff, and still nothing of its key went past it.
    awaitRelays()
        .until(
            () ->
                jdbc.queryForObject("select attempts from outbox where id = ?", Integer.class, head)
                    >= 2);
    assertThat(probe().runs(stuck + "-command")).isZero();
    assertThat(probe().runs(stuck + "-event")).isZero();
    assertThat(
            jdbc.queryForList(
                "select attempts from outbox where partition_key = ? and id <> ?",
                Integer.class,
                stuck,
                head))
        .containsExactly(0, 0);

    // Once the head is out of the way (as an operator would settle it), the key flows in order.
    jdbc.update("update outbox set sent_at = now() where id = ?", head);

    awaitRelays()
        .until(() -> probe().runs(stuck + "-command") == 1 && probe().runs(stuck + "-event") == 1);
  }

  @Test
  void twoRelaysSideBySideSendTheRowsOfEachKeyInTheOrderTheyWereWritten() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> keys = IntStream.range(0, 6).mapToObj(k -> run + "-key" + k).toList();
    int rowsPerKey = 25;
    double violationsBefore = violations();
    // One transaction per round, through either instance in turn, each writing the next row of
    // every key: an event to Kafka or a command to RabbitMQ.
    for (int i = 0; i < rowsPerKey; i++) {
      int row = i;
      write(
          row % 2,
          outbox -> {
            for (String key : keys) {
              String text = key + "#" + row;
              if (row % 3 == 0) {
                outbox.send(new TestCommand(text), MessageOptions.about(key));
              } else {
                outbox.publish(new TestEvent(key, text), MessageOptions.about(key));
              }
            }
          });
    }

    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> handled(run).size() >= keys.size() * rowsPerKey);
    for (String key : keys) {
      for (String handler : List.of("event", "command")) {
        List<Probe.Handled> ofKey =
            handled(run).stream()
                .filter(h -> h.handler().equals(handler) && h.text().startsWith(key + "#"))
                .toList();
        assertThat(ofKey.stream().map(h -> rowOf(h.text())))
            .as("rows of %s by %s handler", key, handler)
            .isSorted()
            .doesNotHaveDuplicates();
        assertThat(ofKey.stream().map(h -> h.envelope().extension(CloudEventAttributes.SEQUENCE)))
            .as("sequences of %s by %s handler", key, handler)
            .isSorted()
            .doesNotHaveDuplicates();
      }
    }
    assertThat(relays)
        .as("both relays sent some")
        .allSatisfy(
            relay ->
                assertThat(
                        relay.meters().find(MessagingMetrics.PUBLISHED).counters().stream()
                            .mapToDouble(c -> c.count())
                            .sum())
                    .isPositive());
    assertThat(violations()).isEqualTo(violationsBefore);
  }

  @Test
  void theMigrationGivesAnOlderTableItsOrderAndTheKeysOfItsUnsentRows() throws IOException {
    JdbcTemplate older = new JdbcTemplate(dataSource(TestDatabases.create("outbox_upgrade")));
    older.execute(
        "create table outbox (id varchar(64) primary key, message_type varchar(200) not null,"
            + " envelope text not null, payload text not null, created_at timestamptz not null,"
            + " attempts integer not null default 0, next_attempt_at timestamptz not null,"
            + " last_error text, sent_at timestamptz)");
    older.update(
        "insert into outbox (id, message_type, envelope, payload, created_at, next_attempt_at)"
            + " values ('a', 't', '{\"id\":\"a\",\"partitionKey\":\"order-1\"}', '{}', now(), now()),"
            + " ('b', 't', '{\"id\":\"b\",\"partitionKey\":null}', '{}', now(), now())");

    older.execute(ddl());
    older.execute(ddl());

    assertThat(older.queryForList("select partition_key from outbox order by id", String.class))
        .containsExactly("order-1", null);
    assertThat(older.queryForList("select seq from outbox order by seq", Long.class))
        .hasSize(2)
        .doesNotContainNull();
    assertThat(
            older.queryForList(
                "select indexname from pg_indexes where tablename = 'outbox'", String.class))
        .contains("outbox_unsent_in_order", "outbox_unsent_by_key");
  }

  /**
   * Waits up to ten seconds. The broker refuses the head by closing the channel, and Spring AMQP
   * then fails on a thread of its own while it returns that channel to its cache: that is the
   * refusal the test makes, not a failure of the test.
   */
  private static ConditionFactory awaitRelays() {
    return await().atMost(10, TimeUnit.SECONDS).dontCatchUncaughtExceptions();
  }

  private static void write(int relay, Consumer<Outbox> writes) {
    TestApp app = relays.get(relay);
    app.bean(TransactionTemplate.class)
        .executeWithoutResult(status -> writes.accept(app.bean(Outbox.class)));
  }

  private static Probe probe() {
    return consumer.probe();
  }

  private static List<Probe.Handled> handled(String run) {
    return probe().handled().stream().filter(h -> h.text().startsWith(run)).toList();
  }

  private static int rowOf(String text) {
    return Integer.parseInt(text.substring(text.indexOf('#') + 1));
  }

  private static double violations() {
    return consumer.meters().find(MessagingMetrics.ORDERING_VIOLATIONS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser("postgres");
    return dataSource;
  }

  private static String ddl() throws IOException {
    return new ClassPathResource(DDL).getContentAsString(StandardCharsets.UTF_8);
  }
}
