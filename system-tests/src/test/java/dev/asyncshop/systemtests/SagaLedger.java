package dev.asyncshop.systemtests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the four databases say happened to the orders, read directly as an auditor would: the chaos
 * tests hold them to the saga's promises whatever the services' APIs answer.
 */
final class SagaLedger {

  /** One order as order-service stored it. */
  record StoredOrder(String id, String status, Instant updatedAt) {}

  private final Suite suite;

  SagaLedger(Suite suite) {
    this.suite = suite;
  }

  /**
   * Every stored order, by id: also those whose client never heard the answer (a timeout while the
   * database came back), which the saga must treat like any other.
   */
  Map<String, StoredOrder> allOrders() {
    Map<String, StoredOrder> orders = new HashMap<>();
    try (Connection connection = suite.database("order");
        PreparedStatement statement =
            connection.prepareStatement("select id::text, status, updated_at from orders");
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        orders.put(
            rs.getString(1),
            new StoredOrder(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("order-service's database: " + e, e);
    }
    return orders;
  }

  /** Payment statuses per order id; a list, so a second payment for an order would show. */
  Map<String, List<String>> payments(Collection<String> orderIds) {
    Map<String, List<String>> payments = new HashMap<>();
    query(
        "payment",
        "select order_id, status from payment where order_id = any (?)",
        orderIds,
        rs ->
            payments
                .computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                .add(rs.getString(2)));
    return payments;
  }

  /** The number of shipments per order id. */
  Map<String, Integer> shipments(Collection<String> orderIds) {
    Map<String, Integer> shipments = new HashMap<>();
    query(
        "shipping",
        "select order_id from shipment where order_id = any (?)",
        orderIds,
        rs -> shipments.merge(rs.getString(1), 1, Integer::sum));
    return shipments;
  }

  /** Stock on hand per SKU. */
  Map<String, Integer> stock(Collection<String> skus) {
    Map<String, Integer> stock = new HashMap<>();
    query(
        "inventory",
        "select sku, stock from product where sku = any (?)",
        skus,
        rs -> stock.put(rs.getString(1), rs.getInt(2)));
    return stock;
  }

  /** Units of each SKU taken out of stock, per order: the reservations in force. */
  Map<String, Map<String, Integer>> reserved(Collection<String> orderIds) {
    Map<String, Map<String, Integer>> reserved = new HashMap<>();
    query(
        "inventory",
        "select r.order_id, l.sku, l.quantity from reservation r join reservation_line l"
            + " on l.order_id = r.order_id where r.status = 'RESERVED' and r.order_id = any (?)",
        orderIds,
        rs ->
            reserved
                .computeIfAbsent(rs.getString(1), id -> new HashMap<>())
                .put(rs.getString(2), rs.getInt(3)));
    return reserved;
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String service, String sql, Collection<String> values, Row row) {
    try (Connection connection = suite.database(service);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text", values.toArray()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          row.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(service + "-service's database: " + e, e);
    }
  }
}
