package dev.asyncshop.order.tracking;

import dev.asyncshop.order.OrderLine;
import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.TimelineEntry;
import dev.asyncshop.order.Totals;
import dev.asyncshop.order.tracking.OrderPage.PageMetadata;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
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
  public OrderView require(UUID id) {
    return find(id).orElseThrow(() -> new OrderNotFoundException(id));
  }

  /**
   * The row, its lines and its timeline in one statement: a statement sees one snapshot, so they
   * agree even while the saga moves on, with no transaction around them. The lines and steps come
   * as JSON arrays built by the database, numbers as text so that no price loses its scale.
   */
  public Optional<OrderView> find(UUID id) {
    return jdbc.sql(
            "select customer_id, status, currency, items_total, shipping_price, total, weight_kg,"
                + " ship_name, ship_street, ship_city, ship_postal_code, ship_country,"
                + " tracking_number, placed_at, updated_at,"
                + " (select coalesce(json_agg(json_build_object('sku', l.sku, 'name', l.name,"
                + " 'quantity', l.quantity, 'unitPrice', l.unit_price::text,"
                + " 'weightKg', l.weight_kg::text) order by l.line_no), '[]')"
                + " from order_line l where l.order_id = o.id) as lines,"
                + " (select coalesce(json_agg(json_build_object('status', t.status,"
                + " 'at', t.at, 'detail', t.detail) order by t.seq), '[]')"
                + " from order_timeline t where t.order_id = o.id) as timeline"
                + " from orders o where id = ?")
        .param(id)
        .query(
            (rs, n) ->
                new OrderView(
                    id,
                    rs.getString("customer_id"),
                    OrderStatus.valueOf(rs.getString("status")),
                    lines(rs.getString("lines")),
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
                    timeline(rs.getString("timeline"))))
        .optional();
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
   * The order's status and the timeline steps after {@code seq}, in one statement and so from one
   * snapshot: if the status is an end state, the steps that led there are in the list.
   */
  Optional<Progress> since(UUID id, long seq) {
    List<StatusAndStep> rows =
        jdbc.sql(
                "select o.status as order_status, t.seq, t.status, t.at, t.detail from orders o"
                    + " left join order_timeline t on t.order_id = o.id and t.seq > ?"
                    + " where o.id = ? order by t.seq")
            .params(seq, id)
            .query(
                (rs, n) ->
                    new StatusAndStep(
                        OrderStatus.valueOf(rs.getString("order_status")),
                        rs.getString("status") == null
                            ? null
                            : new Step(
                                rs.getLong("seq"),
                                new TimelineEntry(
                                    OrderStatus.valueOf(rs.getString("status")),
                                    instant(rs, "at"),
                                    rs.getString("detail")))))
            .list();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<Step> steps = new ArrayList<>(rows.size());
    for (StatusAndStep row : rows) {
      if (row.step() != null) {
        steps.add(row.step());
      }
    }
    return Optional.of(new Progress(rows.get(0).orderStatus(), List.copyOf(steps)));
  }

  /**
   * A row of {@link #since}: the order's status, and a step after the one asked if there is one.
   */
  private record StatusAndStep(OrderStatus orderStatus, @Nullable Step step) {}

  private List<OrderView.Line> lines(String array) {
    List<OrderView.Line> lines = new ArrayList<>();
    for (JsonNode line : json.readTree(array)) {
      OrderLine ordered =
          new OrderLine(
              line.path("sku").asString(),
              line.path("name").asString(),
              line.path("quantity").asInt(),
              new BigDecimal(line.path("unitPrice").asString()),
              new BigDecimal(line.path("weightKg").asString()));
      lines.add(
          new OrderView.Line(
              ordered.sku(),
              ordered.name(),
              ordered.quantity(),
              ordered.unitPrice(),
              ordered.total(),
              ordered.weightKg()));
    }
    return List.copyOf(lines);
  }

  private List<TimelineEntry> timeline(String array) {
    List<TimelineEntry> steps = new ArrayList<>();
    for (JsonNode step : json.readTree(array)) {
      steps.add(
          new TimelineEntry(
              OrderStatus.valueOf(step.path("status").asString()),
              OffsetDateTime.parse(step.path("at").asString()).toInstant(),
              step.path("detail").asString()));
    }
    return List.copyOf(steps);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }
}
