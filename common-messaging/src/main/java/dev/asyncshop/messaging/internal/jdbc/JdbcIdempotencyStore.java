package dev.asyncshop.messaging.internal.jdbc;

import dev.asyncshop.messaging.spi.IdempotencyStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records the message id in the same transaction as the handler's own writes: either both commit or
 * neither does. The insert takes the row lock first, so a concurrent delivery of the same id waits
 * for the first transaction and then sees a duplicate (or, if the first rolled back, runs). Needs
 * PostgreSQL ({@code ON CONFLICT}); the table is in the Flyway location {@code
 * classpath:db/messaging}.
 */
final class JdbcIdempotencyStore implements IdempotencyStore {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final String insert;

  JdbcIdempotencyStore(JdbcTemplate jdbc, TransactionTemplate transactions, String table) {
    if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException("Not a table name: " + table);
    }
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.insert =
        "insert into "
            + table
            + " (consumer_group, message_id, processed_at) values (?, ?, now())"
            + " on conflict do nothing";
  }

  @Override
  public Outcome runOnce(String consumerGroup, String messageId, Runnable work) {
    return transactions.execute(
        status -> {
          if (jdbc.update(insert, consumerGroup, messageId) == 0) {
            return Outcome.DUPLICATE;
          }
          work.run();
          return Outcome.HANDLED;
        });
  }
}
