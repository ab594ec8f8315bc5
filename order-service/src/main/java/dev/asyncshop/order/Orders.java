package dev.asyncshop.order;

import dev.asyncshop.messaging.MessageGateway;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.order.Order.PersonalData;
import dev.asyncshop.order.Order.Snapshot;
import dev.asyncshop.order.OrderEvent.OrderCarriedOver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The event store of orders, and their projection, which also keeps what of an order is personal
 * ({@link PersonalData}) beside its events. Every write runs in the caller's transaction: an
 * order's new events are appended to its stream ({@code order_event}) and written to the outbox to
 * be published on {@code orders.events}, and its row, its new timeline entries and the commands its
 * step sends are stored with them, all or nothing. An order is loaded by replaying its stream.
 * Status changes are broadcast only after the commit, so no listener hears of a change that was
 * rolled back.
 *
 * <p>Two guards keep a step from being applied to a stale order: the row is locked while a step is
 * decided, and an append names the version it extends, which the stream's primary key and the row's
 * version check enforce even for a writer that did not lock.
 */
@Repository
public class Orders {

  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  private static final String COLUMNS =
      "id, customer_id, status, currency, items_total, shipping_price, total, weight_kg,"
          + " ship_name, ship_street, ship_city, ship_postal_code, ship_country, card_token,"
          + " tracking_number, deadline_at, placed_at, version";

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final MessageGateway gateway;
  private final CardTokens cardTokens;
  private final OrderEventCodec events;

  Orders(
      JdbcClient jdbc,
      Outbox outbox,
      MessageGateway gateway,
      CardTokens cardTokens,
      OrderEventCodec events) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.gateway = gateway;
    this.cardTokens = cardTokens;
    this.events = events;
  }

  /** Stores a new order: its first events, its row and lines, and writes its commands. */
  public void add(Order order, List<SagaCommand> commands) {
    Snapshot s = order.snapshot();
    jdbc.sql(
            "insert into orders (id, customer_id, status, currency, items_total, shipping_price,"
                + " total, weight_kg, ship_name, ship_street, ship_city, ship_postal_code,"
                + " ship_country, card_token, tracking_number, deadline_at, placed_at, updated_at,"
                + " version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
            timestamp(s.placedAt()),
            s.version())
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
    append(order);
    write(order, commands);
  }

  /**
   * Loads an order from its events and locks its row until the transaction ends, so that an answer
   * and the timeout sweeper never change the same order at once.
   */
  public Optional<Order> lock(UUID id) {
    return jdbc.sql("select " + COLUMNS + ", updated_at from orders where id = ? for update")
        .param(id)
        .query((rs, n) -> new LockedRow(snapshot(rs, List.of()), instant(rs, "updated_at")))
        .optional()
        .map(
            row ->
                Order.replay(
                    id,
                    streamCaughtUpWith(row),
                    new PersonalData(row.stored().address(), row.stored().cardToken())));
  }

  /** An order's row as {@link #lock} read it, with when it last changed. */
  private record LockedRow(Snapshot stored, @Nullable Instant updatedAt) {}

  /**
   * The order's stream, carried up to its row when an instance of the version before the event
   * store placed or changed the order. During a rolling upgrade both versions run side by side: the
   * older one stores an order in its row alone, and its row then is newer than the order's last
   * event (or the order has none). Such a row's state is appended to the stream as an {@link
   * OrderCarriedOver} event, so the order goes on from where the older instance left it, never from
   * a stale stream.
   */
  private List<OrderEvent> streamCaughtUpWith(LockedRow row) {
    UUID id = row.stored().id();
    List<OrderEvent> stream = new ArrayList<>(stream(id));
    OrderEvent last = stream.isEmpty() ? null : stream.get(stream.size() - 1);
    if (last != null && (row.updatedAt() == null || !row.updatedAt().isAfter(last.at()))) {
      return stream;
    }
    Snapshot s = row.stored();
    OrderCarriedOver carried =
        new OrderCarriedOver(
            id,
            last == null ? 1 : last.version() + 1,
            row.updatedAt() == null ? s.placedAt() : row.updatedAt(),
            s.customerId(),
            lines(id).stream()
                .map(
                    l ->
                        new OrderEvent.PlacedLine(
                            l.sku(), l.name(), l.quantity(), l.unitPrice(), l.weightKg()))
                .toList(),
            s.address().country(),
            s.weightKg(),
            s.totals().items(),
            s.totals().shipping(),
            s.totals().total(),
            s.totals().currency(),
            s.placedAt(),
            s.status(),
            s.trackingNumber(),
            s.deadline());
    insert(carried);
    jdbc.sql("update orders set version = ? where id = ?").params(carried.version(), id).update();
    log.info(
        "Order {} was stored by an instance without the event store; its stream carries its state"
            + " over at version {}",
        id,
        carried.version());
    stream.add(carried);
    return stream;
  }

  /**
   * The order its events make, read without a lock: what rebuilding its projection would store. Its
   * personal data is not in its events, and is taken from its row.
   */
  public Optional<Order> replay(UUID id) {
    List<OrderEvent> stream = stream(id);
    if (stream.isEmpty()) {
      return Optional.empty();
    }
    return personalData(id).map(personal -> Order.replay(id, stream, personal));
  }

  private Optional<PersonalData> personalData(UUID id) {
    return jdbc.sql(
            "select ship_name, ship_street, ship_city, ship_postal_code, ship_country, card_token"
                + " from orders where id = ?")
        .param(id)
        .query(
            (rs, n) ->
                new PersonalData(address(rs), cardTokens.decrypt(id, rs.getString("card_token"))))
        .optional();
  }

  private static ShippingAddress address(ResultSet rs) throws SQLException {
    return new ShippingAddress(
        rs.getString("ship_name"),
        rs.getString("ship_street"),
        rs.getString("ship_city"),
        rs.getString("ship_postal_code"),
        rs.getString("ship_country"));
  }

  /** The order as its row stores it: the projection, as the tracking endpoints read it. */
  public Optional<Snapshot> stored(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from orders where id = ?")
        .param(id)
        .query((rs, n) -> snapshot(rs, lines(id)))
        .optional();
  }

  /** An order's events in version order. */
  public List<OrderEvent> stream(UUID id) {
    return jdbc.sql("select type, data from order_event where order_id = ? order by version")
        .param(id)
        .query((rs, n) -> events.read(rs.getString("type"), rs.getString("data")))
        .list();
  }

  /**
   * Appends the order's new events to its stream, each at the version after the one before. A
   * version already taken means another writer extended the stream since the order was loaded; the
   * transaction fails, and the message that led here is handled again from the new state.
   */
  private void append(Order order) {
    order.newEvents().forEach(this::insert);
  }

  private void insert(OrderEvent event) {
    try {
      jdbc.sql(
              "insert into order_event (order_id, version, type, data, at)"
                  + " values (?, ?, ?, ?::jsonb, ?)")
          .params(
              event.orderId(),
              event.version(),
              events.type(event),
              events.write(event),
              timestamp(event.at()))
          .update();
    } catch (DuplicateKeyException e) {
      throw new ConcurrentOrderChangeException(event.orderId(), event.version(), e);
    }
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
        address(rs),
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
        instant(rs, "deadline_at"),
        rs.getInt("version"));
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

  /**
   * Appends the order's new events, stores its row and timeline entries as they now are, and writes
   * the step's commands.
   *
   * @throws ConcurrentOrderChangeException if its stream was extended since it was loaded
   */
  public void save(Order order, List<SagaCommand> commands) {
    Snapshot s = order.snapshot();
    // The order changed when its last new step happened; an order without one has nothing to save.
    Instant updated =
        order.newTimelineEntries().stream()
            .map(TimelineEntry::at)
            .reduce((a, b) -> b)
            .orElseThrow(() -> new IllegalStateException("Order " + s.id() + " did not change"));
    append(order);
    int updatedRows =
        jdbc.sql(
                "update orders set status = ?, card_token = ?, tracking_number = ?,"
                    + " deadline_at = ?, updated_at = ?, version = ? where id = ? and version = ?")
            .params(
                s.status().name(),
                cardTokens.encrypt(s.id(), s.cardToken()),
                s.trackingNumber(),
                timestamp(s.deadline()),
                timestamp(updated),
                s.version(),
                s.id(),
                order.storedVersion())
            .update();
    if (updatedRows != 1) {
      throw new ConcurrentOrderChangeException(s.id(), order.storedVersion() + 1, null);
    }
    write(order, commands);
  }

  private void write(Order order, List<SagaCommand> commands) {
    for (TimelineEntry entry : order.newTimelineEntries()) {
      jdbc.sql("insert into order_timeline (order_id, status, at, detail) values (?, ?, ?, ?)")
          .params(order.id(), entry.status().name(), timestamp(entry.at()), entry.detail())
          .update();
    }
    // Every message about the order is keyed by it, and so stays in order on Kafka; the order id
    // is also the correlation id, so the whole saga can be found by it in the audit trail.
    MessageOptions options =
        MessageOptions.about(order.id().toString()).correlatedWith(order.id().toString());
    for (SagaCommand command : commands) {
      outbox.send(command.message(), options);
    }
    for (OrderEvent event : order.newEvents()) {
      outbox.publish(event, options);
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
