package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.order.Order.Snapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Stores orders together with what their steps send. Every write runs in the caller's transaction:
 * the order's row, its new timeline entries and its outbox messages commit together or not at all.
 * Status changes are broadcast only after the commit, so no listener hears of a change that was
 * rolled back.
 */
@Repository
public class Orders {

  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  private static final String COLUMNS =
      "id, customer_id, status, currency, items_total, shipping_price, total, weight_kg,"
          + " ship_name, ship_street, ship_city, ship_postal_code, ship_country, card_token,"
          + " tracking_number, deadline_at, placed_at";

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final MessageGateway gateway;
  private final CardTokens cardTokens;

  Orders(JdbcClient jdbc, Outbox outbox, MessageGateway gateway, CardTokens cardTokens) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.gateway = gateway;
    this.cardTokens = cardTokens;
  }

  /** Stores a new order, its lines and first timeline entry, and writes its messages. */
  public void add(Order order, List<Outgoing> messages) {
    Snapshot s = order.snapshot();
    jdbc.sql(
            "insert into orders (id, customer_id, status, currency, items_total, shipping_price,"
                + " total, weight_kg, ship_name, ship_street, ship_city, ship_postal_code,"
                + " ship_country, card_token, tracking_number, deadline_at, placed_at, updated_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            s.id(),
            s.customerId(),
            s.status().name(),
            s.totals().currency(),
            s.totals().items(),
            s.totals().shipping(),
            s.totals().total(),
            s.weightKg(),
            s.address().name(),
            s.address().street(),
            s.address().city(),
            s.address().postalCode(),
            s.address().country(),
            cardTokens.encrypt(s.id(), s.cardToken()),
            s.trackingNumber(),
            timestamp(s.deadline()),
            timestamp(s.placedAt()),
            timestamp(s.placedAt()))
        .update();
    int lineNo = 0;
    for (OrderLine line : s.lines()) {
      jdbc.sql(
              "insert into order_line (order_id, line_no, sku, name, quantity, unit_price,"
                  + " weight_kg) values (?, ?, ?, ?, ?, ?, ?)")
          .params(
              s.id(),
              ++lineNo,
              line.sku(),
              line.name(),
              line.quantity(),
              line.unitPrice(),
              line.weightKg())
          .update();
    }
    write(order, messages);
  }

  /**
   * Reads an order and locks its row until the transaction ends, so that an answer and the timeout
   * sweeper never change the same order at once.
   */
  public Optional<Order> lock(UUID id) {
    Optional<Snapshot> row =
        jdbc.sql("select " + COLUMNS + " from orders where id = ? for update")
            .param(id)
            .query((rs, n) -> snapshot(rs, List.of()))
            .optional();
    return row.map(
        s ->
            Order.restore(
                new Snapshot(
                    s.id(),
                    s.customerId(),
                    lines(id),
                    s.address(),
                    s.weightKg(),
                    s.totals(),
                    s.placedAt(),
                    s.status(),
                    s.cardToken(),
                    s.trackingNumber(),
                    s.deadline())));
  }

  private List<OrderLine> lines(UUID orderId) {
    return jdbc.sql(
            "select sku, name, quantity, unit_price, weight_kg from order_line"
                + " where order_id = ? order by line_no")
        .param(orderId)
        .query(
            (rs, n) ->
                new OrderLine(
                    rs.getString("sku"),
                    rs.getString("name"),
                    rs.getInt("quantity"),
                    rs.getBigDecimal("unit_price"),
                    rs.getBigDecimal("weight_kg")))
        .list();
  }

  private Snapshot snapshot(ResultSet rs, List<OrderLine> lines) throws SQLException {
    UUID id = rs.getObject("id", UUID.class);
    return new Snapshot(
        id,
        rs.getString("customer_id"),
        lines,
        new ShippingAddress(
            rs.getString("ship_name"),
            rs.getString("ship_street"),
            rs.getString("ship_city"),
            rs.getString("ship_postal_code"),
            rs.getString("ship_country")),
        rs.getBigDecimal("weight_kg"),
        new Totals(
            rs.getBigDecimal("items_total"),
            rs.getBigDecimal("shipping_price"),
            rs.getBigDecimal("total"),
            rs.getString("currency")),
        Objects.requireNonNull(instant(rs, "placed_at")),
        OrderStatus.valueOf(rs.getString("status")),
        cardTokens.decrypt(id, rs.getString("card_token")),
        rs.getString("tracking_number"),
        instant(rs, "deadline_at"));
  }

  /**
   * Encrypts the card tokens stored in the clear before tokens were encrypted, each only if no one
   * changed it meanwhile, and returns how many. Only orders still waiting for their payment step
   * hold a token, so there are few, and none once this ran.
   */
  public int encryptClearCardTokens() {
    List<Map.Entry<UUID, String>> clear =
        jdbc.sql(
                "select id, card_token from orders where card_token is not null"
                    + " and card_token not like '"
                    + CardTokens.PREFIX
                    + "%'")
            .query((rs, n) -> Map.entry(rs.getObject("id", UUID.class), rs.getString("card_token")))
            .list();
    int encrypted = 0;
    for (Map.Entry<UUID, String> row : clear) {
      encrypted +=
          jdbc.sql("update orders set card_token = ? where id = ? and card_token = ?")
              .params(
                  cardTokens.encrypt(row.getKey(), row.getValue()), row.getKey(), row.getValue())
              .update();
    }
    return encrypted;
  }

  /**
   * Locks up to {@code limit} orders whose deadline passed by saga time, skipping those another
   * transaction holds (an answer being handled, or another instance's sweeper), and returns their
   * ids.
   */
  public List<UUID> lockOverdue(Instant sagaTime, int limit) {
    return jdbc.sql(
            "select id from orders where deadline_at <= ? order by deadline_at"
                + " limit ? for update skip locked")
        .params(timestamp(sagaTime), limit)
        .query(UUID.class)
        .list();
  }

  /** Stores the order's new status and timeline entries, and writes the step's messages. */
  public void save(Order order, List<Outgoing> messages) {
    Snapshot s = order.snapshot();
    // The order changed when its last new step happened; an order without one has nothing to save.
    Instant updated =
        order.newTimelineEntries().stream()
            .map(TimelineEntry::at)
            .reduce((a, b) -> b)
            .orElseThrow(() -> new IllegalStateException("Order " + s.id() + " did not change"));
    jdbc.sql(
            "update orders set status = ?, card_token = ?, tracking_number = ?, deadline_at = ?,"
                + " updated_at = ? where id = ?")
        .params(
            s.status().name(),
            cardTokens.encrypt(s.id(), s.cardToken()),
            s.trackingNumber(),
            timestamp(s.deadline()),
            timestamp(updated),
            s.id())
        .update();
    write(order, messages);
  }

  private void write(Order order, List<Outgoing> messages) {
    for (TimelineEntry entry : order.newTimelineEntries()) {
      jdbc.sql("insert into order_timeline (order_id, status, at, detail) values (?, ?, ?, ?)")
          .params(order.id(), entry.status().name(), timestamp(entry.at()), entry.detail())
          .update();
    }
    // Every message about the order is keyed by it, and so stays in order on Kafka; the order id
    // is also the correlation id, so the whole saga can be found by it in the audit trail.
    MessageOptions options =
        MessageOptions.about(order.id().toString()).correlatedWith(order.id().toString());
    for (Outgoing message : messages) {
      if (message instanceof Outgoing.Command) {
        outbox.send(message.message(), options);
      } else {
        outbox.publish(message.message(), options);
      }
    }
    broadcastStatusAfterCommit(order, options);
  }

  /** Package-private for the in-memory stand-in, which broadcasts as this store does. */
  void broadcastStatusAfterCommit(Order order, MessageOptions options) {
    List<TimelineEntry> changes = order.statusChanges();
    if (!changes.isEmpty()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              broadcast(order.id(), changes, options);
            }
          });
    }
  }

  /**
   * At most once by design: a lost notice only delays a live stream until its next catch-up. Not
   * awaited, so a slow or absent Redis never holds up the saga's consumer, the sweeper or
   * placement.
   */
  private void broadcast(UUID orderId, List<TimelineEntry> changes, MessageOptions options) {
    for (TimelineEntry change : changes) {
      gateway.fireAndForget(
          new OrderMessages.OrderStatusChanged(
              orderId, change.status(), change.at(), change.detail()),
          options);
    }
  }

  private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
