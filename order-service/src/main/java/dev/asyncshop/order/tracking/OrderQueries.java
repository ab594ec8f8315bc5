package dev.asyncshop.order.tracking;

import dev.asyncshop.order.OrderLine;
import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.TimelineEntry;
import dev.asyncshop.order.Totals;
import dev.asyncshop.order.tracking.OrderPage.PageMetadata;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Reads orders for clients; never locks, never writes. */
@Repository
public class OrderQueries {

  /** A timeline entry with its place in the order's timeline, the event id of a live stream. */
  record Step(long seq, TimelineEntry entry) {}

  /**
   * An order's status, then the steps after a given one: read in that order, see {@link #since}.
   */
  record Progress(OrderStatus status, List<Step> steps) {}

  private final JdbcClient jdbc;
  private final JsonMapper json;

  OrderQueries(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The order's events as stored, oldest first; none for an order that does not exist. */
  public List<HistoryEntry> history(UUID id) {
    return jdbc.sql(
            "select version, type, at, data from order_event where order_id = ? order by version")
        .param(id)
        .query(
            (rs, n) ->
                new HistoryEntry(
                    rs.getInt("version"),
                    rs.getString("type"),
                    rs.getTimestamp("at").toInstant(),
                    json.readTree(rs.getString("data"))))
        .list();
  }

  /**
   * The order with its lines and timeline.
   *
   * @throws OrderNotFoundException if there is none
   */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public OrderView require(UUID id) {
    return find(id).orElseThrow(() -> new OrderNotFoundException(id));
  }

  /** One snapshot: the row, its lines and its timeline agree even while the saga moves on. */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public Optional<OrderView> find(UUID id) {
    // The row first, then its lines and steps: no query runs while another's rows are open.
    Optional<OrderView> row =
        jdbc.sql(
                "select customer_id, status, currency, items_total, shipping_price, total,"
                    + " weight_kg, ship_name, ship_street, ship_city, ship_postal_code,"
                    + " ship_country, tracking_number, placed_at, updated_at"
                    + " from orders where id = ?")
            .param(id)
            .query(
                (rs, n) ->
                    new OrderView(
                        id,
                        rs.getString("customer_id"),
                        OrderStatus.valueOf(rs.getString("status")),
                        List.of(),
                        new Totals(
                            rs.getBigDecimal("items_total"),
                            rs.getBigDecimal("shipping_price"),
                            rs.getBigDecimal("total"),
                            rs.getString("currency")),
                        new ShippingAddress(
                            rs.getString("ship_name"),
                            rs.getString("ship_street"),
                            rs.getString("ship_city"),
                            rs.getString("ship_postal_code"),
                            rs.getString("ship_country")),
                        rs.getBigDecimal("weight_kg"),
                        rs.getString("tracking_number"),
                        instant(rs, "placed_at"),
                        instant(rs, "updated_at"),
                        List.of()))
            .optional();
    return row.map(
        o ->
            new OrderView(
                o.id(),
                o.customerId(),
                o.status(),
                lines(id),
                o.totals(),
                o.shippingAddress(),
                o.weightKg(),
                o.trackingNumber(),
                o.placedAt(),
                o.updatedAt(),
                steps(id, 0).stream().map(Step::entry).toList()));
  }

  public boolean exists(UUID id) {
    return jdbc.sql("select count(*) from orders where id = ?").param(id).query(Long.class).single()
        > 0;
  }

  /** Newest first; both filters optional. */
  public OrderPage page(
      @Nullable String customerId, @Nullable OrderStatus status, int page, int size) {
    StringBuilder where = new StringBuilder(" where true");
    Map<String, Object> params = new LinkedHashMap<>();
    if (customerId != null) {
      where.append(" and customer_id = :customerId");
      params.put("customerId", customerId);
    }
    if (status != null) {
      where.append(" and status = :status");
      params.put("status", status.name());
    }
    Long total =
        jdbc.sql("select count(*) from orders" + where).params(params).query(Long.class).single();
    List<OrderSummary> content =
        jdbc.sql(
                "select id, customer_id, status, total, currency, placed_at, updated_at"
                    + " from orders"
                    + where
                    + " order by placed_at desc, id limit :limit offset :offset")
            .params(params)
            .param("limit", size)
            .param("offset", (long) page * size)
            .query(
                (rs, n) ->
                    new OrderSummary(
                        rs.getObject("id", UUID.class),
                        rs.getString("customer_id"),
                        OrderStatus.valueOf(rs.getString("status")),
                        rs.getBigDecimal("total"),
                        rs.getString("currency"),
                        instant(rs, "placed_at"),
                        instant(rs, "updated_at")))
            .list();
    int pages = (int) ((total + size - 1) / size);
    return new OrderPage(content, new PageMetadata(page, size, total, pages));
  }

  /**
   * The order's status and the timeline steps after {@code seq}. The status is read first: if it is
   * an end state, the steps that led there committed with it and are in the list.
   */
  Optional<Progress> since(UUID id, long seq) {
    return jdbc.sql("select status from orders where id = ?")
        .param(id)
        .query(String.class)
        .optional()
        .map(status -> new Progress(OrderStatus.valueOf(status), steps(id, seq)));
  }

  private List<Step> steps(UUID id, long afterSeq) {
    return jdbc.sql(
            "select seq, status, at, detail from order_timeline"
                + " where order_id = ? and seq > ? order by seq")
        .params(id, afterSeq)
        .query(
            (rs, n) ->
                new Step(
                    rs.getLong("seq"),
                    new TimelineEntry(
                        OrderStatus.valueOf(rs.getString("status")),
                        instant(rs, "at"),
                        rs.getString("detail"))))
        .list();
  }

  private List<OrderView.Line> lines(UUID id) {
    return jdbc
        .sql(
            "select sku, name, quantity, unit_price, weight_kg from order_line"
                + " where order_id = ? order by line_no")
        .param(id)
        .query(
            (rs, n) ->
                new OrderLine(
                    rs.getString("sku"),
                    rs.getString("name"),
                    rs.getInt("quantity"),
                    rs.getBigDecimal("unit_price"),
                    rs.getBigDecimal("weight_kg")))
        .list()
        .stream()
        .map(
            line ->
                new OrderView.Line(
                    line.sku(),
                    line.name(),
                    line.quantity(),
                    line.unitPrice(),
                    line.total(),
                    line.weightKg()))
        .toList();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }
}
