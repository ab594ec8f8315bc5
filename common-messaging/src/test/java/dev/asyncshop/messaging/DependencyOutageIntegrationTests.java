package dev.asyncshop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.asyncshop.messaging.internal.MessagingMetrics;
import dev.asyncshop.messaging.test.TestApp;
import dev.asyncshop.messaging.test.TestMessages.TestCommand;
import dev.asyncshop.messaging.test.TestMessages.TestEvent;
import dev.asyncshop.testsupport.TestDatabases;
import dev.asyncshop.testsupport.TestNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Handlers whose database goes away for a while, over RabbitMQ and Kafka against the real
 * PostgreSQL: the database refuses connections and its sessions are ended, messages keep coming,
 * and once it is back every one of them is handled, once, and none is in the dead letters. As the
 * services run: the JDBC idempotency store, the handler's writes in its transaction.
 */
class DependencyOutageIntegrationTests {

  static final TestApp.Destinations TO = TestApp.Destinations.unique();

  static String database;
  static TestApp app;
  static JdbcTemplate jdbc;

  /** Writes every message it handles to the database, as a service's handler does. */
  static class WritingHandlers {

    private final JdbcTemplate jdbc;

    WritingHandlers(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @HandleMessage
    void on(TestEvent event) {
      jdbc.update("insert into handled (transport, text) values ('kafka', ?)", event.text());
    }

    @HandleMessage
    void on(TestCommand command) {
      jdbc.update("insert into handled (transport, text) values ('rabbitmq', ?)", command.text());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    String url = TestDatabases.create("outage");
    database = url.substring(url.lastIndexOf('/') + 1);
    try (Connection connection = TestDatabases.connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(
          new ClassPathResource("db/messaging/R__messaging_tables.sql")
              .getContentAsString(StandardCharsets.UTF_8));
      statement.execute("create table handled (transport varchar(20), text varchar(200))");
    }
    Map<String, Object> properties = TestApp.baseProperties(TestNames.unique("outage-service"), TO);
    properties.remove("spring.autoconfigure.exclude");
    TestDatabases.springProperties(url).forEach(properties::put);
    // A refused connection fails a run in half a second rather than Hikari's default 30.
    properties.put("spring.datasource.hikari.connection-timeout", "500");
    properties.put("messaging.idempotency.store", "jdbc");
    app = TestApp.startSender(properties, WritingHandlers.class);
    jdbc = app.bean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() throws SQLException {
    allowConnections(true);
    app.close();
  }

  @Test
  void messagesSentWhileTheHandlersDatabaseIsDownAreAllHandledOnceItIsBackAndNoneDeadLettered()
      throws SQLException {
    String before = "before-" + UUID.randomUUID();
    app.gateway().publish(new TestEvent("k", before));
    app.gateway().send(new TestCommand(before));
    await().atMost(Duration.ofSeconds(30)).until(() -> handled(before) == 2);

    List<String> during = new ArrayList<>();
    try {
      refuseConnections();
      for (int i = 0; i < 5; i++) {
        String text = "during-" + i + "-" + UUID.randomUUID();
        during.add(text);
        app.gateway().publish(new TestEvent("key-" + i, text));
        app.gateway().send(new TestCommand(text));
      }
      // Each transport has given messages back more than once: the outage outlasted the retries.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> givenBack("kafka") >= 2 && givenBack("rabbitmq") >= 2);
    } finally {
      allowConnections(true);
    }

    await()
        .atMost(Duration.ofSeconds(60))
        // The pool's first connections after the outage may still be refused.
        .ignoreExceptionsInstanceOf(CannotGetJdbcConnectionException.class)
        .untilAsserted(
            () -> {
              for (String text : during) {
                assertThat(handled(text)).as("runs of %s", text).isEqualTo(2);
              }
            });
    MeterRegistry meters = app.meters();
    assertThat(meters.find(MessagingMetrics.DEAD_LETTERED).counters()).isEmpty();
    for (String deadLetters : List.of(TO.queue() + ".dlq", TO.topic() + ".dlt")) {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          meters
                              .get(MessagingMetrics.DEAD_LETTER_DEPTH)
                              .tag("dead_letters", deadLetters)
                              .gauge()
                              .value())
                      .as("dead letters in %s", deadLetters)
                      .isZero());
    }
  }

  /** Rows for the text: one per transport once both handled it. */
  private static int handled(String text) {
    Integer rows =
        jdbc.queryForObject("select count(*) from handled where text = ?", Integer.class, text);
    return rows == null ? 0 : rows;
  }

  private static double givenBack(String transport) {
    return app
        .meters()
        .find(MessagingMetrics.CONSUMER_UNAVAILABLE)
        .tag("transport", transport)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /** The database refuses new connections, and the ones open (the pool's) are ended. */
  private static void refuseConnections() throws SQLException {
    allowConnections(false);
    try (Connection connection = TestDatabases.connect("postgres");
        PreparedStatement terminate =
            connection.prepareStatement(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = ?")) {
      terminate.setString(1, database);
      terminate.execute();
    }
  }

  private static void allowConnections(boolean allow) throws SQLException {
    try (Connection connection = TestDatabases.connect("postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("alter database " + database + " with allow_connections " + allow);
    }
  }
}
