package dev.asyncshop.messaging.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestEncryptionKeys;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.messaging.test.TestMessages.UnhandledCommand;
import dev.asyncshop.messaging.test.TestSigningKeys;
import dev.asyncshop.messaging.test.TestSigningKeys.TestKey;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The transactional outbox and its relay, against PostgreSQL and the real brokers. */
class OutboxIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();
  static final String MISSING_QUEUE = TestNames.unique("no.such.queue");

  static TestApp app;
  static JdbcTemplate jdbc;
  static TransactionTemplate transactions;

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("outbox");
    String service = TestNames.unique("outboxed");
    Map<String, Object> properties = TestApp.baseProperties(service, TO);
    // What the relay sends is signed like any send, and checked on receipt.
    TestKey key = TestSigningKeys.generate("outbox1", service);
    key.signWith(properties);
    key.accept(properties);
    properties.put("messaging.signing.verify", "enforce");
    // Commands are encrypted, and so stored encrypted.
    properties.put("messaging.routes[1].encrypt", "true");
    TestEncryptionKeys.generate("outboxed1").encryptWith(properties);
    properties.remove("spring.autoconfigure.exclude");
    properties.put("spring.datasource.url", url);
    properties.put("spring.datasource.username", "postgres");
    properties.put("messaging.outbox.enabled", "true");
    properties.put("messaging.idempotency.store", "jdbc");
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
    transactions = app.bean(TransactionTemplate.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static Outbox outbox() {
    return app.bean(Outbox.class);
  }

  @Test
  void messagesWrittenInACommittedTransactionAreSent() {
    String command = "outboxed-command-" + UUID.randomUUID();
    String event = "outboxed-event-" + UUID.randomUUID();

    transactions.executeWithoutResult(
        status -> {
          outbox().send(new TestCommand(command), MessageOptions.about("order-5"));
          outbox().publish(new TestEvent("order-5", event), MessageOptions.about("order-5"));
        });

    await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(command).size() == 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(event).size() == 1);
    assertThat(app.probe().handled(command).get(0).envelope().extension("signaturekeyid"))
        .isEqualTo("outbox1");
    assertThat(app.probe().handled(event).get(0).envelope().extension("signature")).isNotBlank();
    assertThat(app.probe().handled(event).get(0).envelope().subject()).isEqualTo("order-5");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                jdbc.queryForObject(
                        "select count(*) from outbox where sent_at is null"
                            + " and message_type <> 'test.unhandled.v1'",
                        Integer.class)
                    == 0);
  }

  @Test
  void anEncryptedRouteIsStoredEncryptedAndSentAsStored() {
    String command = "stored-encrypted-" + UUID.randomUUID();

    String id =
        transactions.execute(
            status -> {
              outbox().send(new TestCommand(command), MessageOptions.about("order-6"));
              return jdbc.queryForObject(
                  "select id from outbox where message_type = 'test.command.v1'"
                      + " order by created_at desc limit 1",
                  String.class);
            });

    Map<String, Object> row =
        jdbc.queryForMap("select envelope, payload from outbox where id = ?", id);
    assertThat(row.get("payload").toString()).doesNotContain(command).doesNotContain("text");
    assertThat(row.get("envelope").toString()).contains("\"encryptionkeyid\":\"outboxed1\"");
    await().atMost(10, TimeUnit.SECONDS).until(() -> app.probe().handled(command).size() == 1);
    assertThat(app.probe().handled(command).get(0).envelope().extension("encryptionkeyid"))
        .isEqualTo("outboxed1");
  }

  @Test
  void messagesOfARolledBackTransactionAreNeverSent() throws Exception {
    String text = "rolled-back-" + UUID.randomUUID();

    transactions.executeWithoutResult(
        status -> {
          outbox().send(new TestCommand(text), MessageOptions.NONE);
          status.setRollbackOnly();
        });

    Thread.sleep(1000);
    assertThat(app.probe().runs(text)).isZero();
  }

  @Test
  void writingOutsideATransactionIsRefused() {
    assertThatThrownBy(() -> outbox().send(new TestCommand("no-tx"), MessageOptions.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no");
  }

  @Test
  void rowTheBrokerRefusesStaysWithItsErrorAndCountsInTheBacklog() {
    String id =
        transactions.execute(
            status -> {
              outbox().send(new UnhandledCommand("nowhere"), MessageOptions.NONE);
              return jdbc.queryForObject(
                  "select id from outbox where message_type = 'test.unhandled.v1'"
                      + " order by created_at desc limit 1",
                  String.class);
            });

    // The broker closes the channel of a refused send; Spring AMQP then fails, on a thread of its
    // own, to wait for that channel's confirms as it returns it to the cache. Not the test's
    // concern.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .dontCatchUncaughtExceptions()
        .until(
            () ->
                jdbc.queryForObject("select attempts from outbox where id = ?", Integer.class, id)
                    >= 1);
    assertThat(jdbc.queryForObject("select last_error from outbox where id = ?", String.class, id))
        .contains("no queue named '" + MISSING_QUEUE + "' exists");
    assertThat(app.meters().get(MessagingMetrics.OUTBOX_BACKLOG).gauge().value()).isPositive();
    await()
        .dontCatchUncaughtExceptions()
        .untilAsserted(
            () ->
                assertThat(app.meters().get(MessagingMetrics.OUTBOX_OLDEST_AGE).gauge().value())
                    .isPositive());
  }
}
