package dev.asyncshop.inventory.reservation;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reservation of each order, one row per order id. Adding a second row for an order fails on
 * the primary key, which is what settles two commands for the same order racing each other: the
 * loser's transaction rolls back and its retry finds the winner's row.
 */
@Component
class Reservations {

  private final JdbcClient jdbc;
  private final Clock clock;

  Reservations(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The order's status, its row locked until the transaction ends; empty if inventory never heard
   * of it.
   */
  Optional<ReservationStatus> lock(String orderId) {
    return jdbc.sql("select status from reservation where order_id = :orderId for update")
        .param("orderId", orderId)
        .query(String.class)
        .optional()
        .map(ReservationStatus::valueOf);
  }

  void add(
      String orderId,
      ReservationStatus status,
      @Nullable String reason,
      Map<String, Integer> quantitiesBySku) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.sql(
            "insert into reservation (order_id, status, reason, created_at, updated_at)"
                + " values (:orderId, :status, :reason, :now, :now)")
        .param("orderId", orderId)
        .param("status", status.name())
        .param("reason", reason)
        .param("now", now)
        .update();
    quantitiesBySku.forEach(
        (sku, quantity) ->
            jdbc.sql(
                    "insert into reservation_line (order_id, sku, quantity)"
                        + " values (:orderId, :sku, :quantity)")
                .param("orderId", orderId)
                .param("sku", sku)
                .param("quantity", quantity)
                .update());
  }

  void change(String orderId, ReservationStatus status, @Nullable String reason) {
    jdbc.sql(
            "update reservation set status = :status, reason = :reason, updated_at = :now"
                + " where order_id = :orderId")
        .param("status", status.name())
        .param("reason", reason)
        .param("now", Timestamp.from(clock.instant()))
        .param("orderId", orderId)
        .update();
  }

  SortedMap<String, Integer> lines(String orderId) {
    SortedMap<String, Integer> lines = new TreeMap<>();
    jdbc.sql("select sku, quantity from reservation_line where order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, row) -> lines.put(rs.getString("sku"), rs.getInt("quantity")))
        .list();
    return lines;
  }
}
