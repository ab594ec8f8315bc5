package dev.asyncshop.order.placement;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The Idempotency-Key of each placed order with a hash of its request. The key is the primary key:
 * of two concurrent requests with one key, the second insert waits for the first transaction and
 * then finds the key taken, so only one order is ever stored per key.
 */
@Repository
class IdempotencyKeys {

  private final JdbcClient jdbc;

  IdempotencyKeys(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The order placed earlier with this key, if any.
   *
   * @throws IdempotencyKeyReusedException if that order was placed with a different request
   */
  Optional<UUID> find(String key, String requestHash) {
    return jdbc.sql("select request_hash, order_id from idempotency_key where idempotency_key = ?")
        .param(key)
        .query(
            (rs, n) -> {
              UUID orderId = rs.getObject("order_id", UUID.class);
              if (!rs.getString("request_hash").equals(requestHash)) {
                throw new IdempotencyKeyReusedException();
              }
              return orderId;
            })
        .optional();
  }

  /**
   * Claims the key for a new order in the caller's transaction.
   *
   * @return false if another request holds the key (its transaction has committed by then)
   */
  boolean claim(String key, String requestHash, UUID orderId, Instant now) {
    return jdbc.sql(
                "insert into idempotency_key (idempotency_key, request_hash, order_id, created_at)"
                    + " values (?, ?, ?, ?) on conflict do nothing")
            .params(key, requestHash, orderId, Timestamp.from(now))
            .update()
        == 1;
  }
}
