package dev.asyncshop.order.reports;

import dev.asyncshop.messaging.projection.Projections;
import dev.asyncshop.order.OrderStatus;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the projections' tables through their views, which point at each projection's active
 * generation; a rebuild switches them over between two queries, never during one.
 */
@Service
public class Reports {

  private final JdbcTemplate jdbc;
  private final Projections projections;

  Reports(JdbcTemplate jdbc, Projections projections) {
    this.jdbc = jdbc;
    this.projections = projections;
  }

  /**
   * Sales per product per hour in {@code [from, to)}, by hour then product.
   *
   * @param sku one product only, or every one
   */
  public List<HourlySales> sales(Instant from, Instant to, @Nullable String sku) {
    requireReadable(ReportProjections.PRODUCT_SALES);
    return jdbc.query(
        "select sku, hour, orders, units_ordered, units_shipped, units_cancelled, revenue"
            + " from product_sales_hourly where hour >= ? and hour < ?"
            + " and (cast(? as varchar) is null or sku = ?) order by hour, sku",
        (rs, i) ->
            new HourlySales(
                rs.getString(1),
                rs.getTimestamp(2).toInstant(),
                rs.getInt(3),
                rs.getInt(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getBigDecimal(7)),
        Timestamp.from(from),
        Timestamp.from(to),
        sku,
        sku);
  }

  /**
   * A customer's orders: counts over all of them, and the latest {@code recent}. One snapshot for
   * both queries, so a switch-over between them cannot mix two generations.
   */
  @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
  public CustomerHistory customer(String customerId, int recent) {
    requireReadable(ReportProjections.CUSTOMER_ORDERS);
    CustomerHistory totals =
        jdbc.queryForObject(
            "select count(*), count(*) filter (where status = 'SHIPPED'),"
                + " count(*) filter (where status in ('REJECTED', 'CANCELLED')),"
                + " coalesce(sum(total) filter (where status = 'SHIPPED'), 0)"
                + " from customer_order where customer_id = ?",
            (rs, i) ->
                new CustomerHistory(
                    customerId,
                    rs.getInt(1),
                    rs.getInt(2),
                    rs.getInt(3),
                    rs.getBigDecimal(4),
                    List.of()),
            customerId);
    List<CustomerOrder> latest =
        jdbc.query(
            "select order_id, placed_at, status, items, total, currency, tracking_number,"
                + " changed_at from customer_order where customer_id = ?"
                + " order by placed_at desc, order_id limit ?",
            (rs, i) ->
                new CustomerOrder(
                    rs.getObject(1, UUID.class),
                    rs.getTimestamp(2).toInstant(),
                    OrderStatus.valueOf(rs.getString(3)),
                    rs.getInt(4),
                    rs.getBigDecimal(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getTimestamp(8).toInstant()),
            customerId,
            recent);
    BigDecimal spent = totals == null ? BigDecimal.ZERO : totals.spent();
    return totals == null
        ? new CustomerHistory(customerId, 0, 0, 0, spent, latest)
        : new CustomerHistory(
            customerId, totals.orders(), totals.shipped(), totals.endedUnshipped(), spent, latest);
  }

  private void requireReadable(String projection) {
    if (!projections.readable(projection)) {
      throw new ReportNotReadyException(projection);
    }
  }
}
