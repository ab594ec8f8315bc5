package dev.asyncshop.messaging.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.messaging.spi.IdempotencyStore.Outcome;
import dev.asyncshop.testsupport.Brokers;
import dev.asyncshop.testsupport.Endpoint;
import dev.asyncshop.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC idempotency store against the tests' PostgreSQL, in a schema of its own so runs never
 * see each other's rows.
 */
class JdbcIdempotencyStoreIntegrationTests {

  static final String SCHEMA = "idempotency_test_" + UUID.randomUUID().toString().substring(0, 8);

  static JdbcTemplate jdbc;
  static TransactionTemplate transactions;

  @BeforeAll
  static void createSchema() throws Exception {
    Endpoint postgres = Brokers.postgres();
    SimpleDriverDataSource dataSource =
        new SimpleDriverDataSource(
            new org.postgresql.Driver(),
            TestDatabases.url("test") + "?currentSchema=" + SCHEMA,
            postgres.username(),
            postgres.password());
    jdbc = new JdbcTemplate(dataSource);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    jdbc.execute("create schema " + SCHEMA);
    String ddl =
        new ClassPathResource("db/messaging/R__messaging_tables.sql")
            .getContentAsString(StandardCharsets.UTF_8);
    jdbc.execute(ddl);
    jdbc.execute("create table reservation (message_id varchar(200) primary key)");
  }

  @AfterAll
  static void dropSchema() {
    jdbc.execute("drop schema " + SCHEMA + " cascade");
  }

  private static JdbcIdempotencyStore store() {
    return new JdbcIdempotencyStore(jdbc, transactions, "processed_message");
  }

  private static void reserve(String id) {
    jdbc.update("insert into reservation (message_id) values (?)", id);
  }

  private static int count(String table, String id) {
    return jdbc.queryForObject(
        "select count(*) from " + table + " where message_id = ?", Integer.class, id);
  }

  @Test
  void handlerWritesAndTheMessageIdCommitTogether() {
    String id = UUID.randomUUID().toString();

    assertThat(store().runOnce("group", id, () -> reserve(id))).isEqualTo(Outcome.HANDLED);
    assertThat(store().runOnce("group", id, () -> reserve(id))).isEqualTo(Outcome.DUPLICATE);
    assertThat(count("reservation", id)).isEqualTo(1);
    assertThat(count("processed_message", id)).isEqualTo(1);
  }

  @Test
  void failingHandlerRollsBackItsWritesAndTheMessageId() {
    String id = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                store()
                    .runOnce(
                        "group",
                        id,
                        () -> {
                          reserve(id);
                          throw new IllegalStateException("payment gateway down");
                        }))
        .hasMessage("payment gateway down");
    assertThat(count("reservation", id)).isZero();
    assertThat(count("processed_message", id)).isZero();
    assertThat(store().runOnce("group", id, () -> reserve(id))).isEqualTo(Outcome.HANDLED);
  }

  @Test
  void concurrentDeliveriesOfTheSameMessageRunTheHandlerOnce() throws Exception {
    String id = UUID.randomUUID().toString();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Outcome>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store()
                      .runOnce(
                          "group",
                          id,
                          () -> {
                            reserve(id);
                            sleep(200);
                          });
                }));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> result : results) {
        outcomes.add(result.get());
      }
      assertThat(outcomes).containsOnlyOnce(Outcome.HANDLED);
      assertThat(count("reservation", id)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tableNameMustBeAName() {
    assertThatThrownBy(() -> new JdbcIdempotencyStore(jdbc, transactions, "x; drop table y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
