package dev.asyncshop.order.reports;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.OrderEvent.OrderCancelled;
import dev.asyncshop.order.OrderEvent.OrderPlaced;
import dev.asyncshop.order.OrderEvent.OrderShipped;
import dev.asyncshop.order.OrderEvent.PlacedLine;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes product-sales: what each product sold per hour. An order counts in the hour it was placed,
 * so an hour's figures settle as its orders ship or end unshipped. Each handler is plain SQL on the
 * projection's tables by their bare names; the projection's engine runs it in the transaction of
 * its batch, on the generation being written.
 */
@Component
class ProductSalesProjection {

  private final JdbcTemplate jdbc;

  ProductSalesProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @HandleMessage(projection = ReportProjections.PRODUCT_SALES)
  void placed(OrderPlaced placed) {
    Timestamp hour = Timestamp.from(placed.at().truncatedTo(ChronoUnit.HOURS));
    record Units(int quantity, BigDecimal amount) {}
    Map<String, Units> bySku = new LinkedHashMap<>();
    for (PlacedLine line : placed.lines()) {
      BigDecimal amount = line.unitPrice().multiply(BigDecimal.valueOf(line.quantity()));
      bySku.merge(
          line.sku(),
          new Units(line.quantity(), amount),
          (a, b) -> new Units(a.quantity() + b.quantity(), a.amount().add(b.amount())));
    }
    bySku.forEach(
        (sku, units) -> {
          jdbc.update(
              "insert into product_sales_line (order_id, sku, hour, quantity, amount)"
                  + " values (?, ?, ?, ?, ?)",
              placed.orderId(),
              sku,
              hour,
              units.quantity(),
              units.amount());
          jdbc.update(
              "insert into product_sales_hourly (sku, hour, orders, units_ordered)"
                  + " values (?, ?, 1, ?) on conflict (sku, hour) do update"
                  + " set orders = product_sales_hourly.orders + 1,"
                  + " units_ordered = product_sales_hourly.units_ordered + excluded.units_ordered",
              sku,
              hour,
              units.quantity());
        });
  }

  @HandleMessage(projection = ReportProjections.PRODUCT_SALES)
  void shipped(OrderShipped shipped) {
    jdbc.update(
        "insert into product_sales_hourly (sku, hour, units_shipped, revenue)"
            + " select sku, hour, quantity, amount from product_sales_line where order_id = ?"
            + " on conflict (sku, hour) do update"
            + " set units_shipped = product_sales_hourly.units_shipped + excluded.units_shipped,"
            + " revenue = product_sales_hourly.revenue + excluded.revenue",
        shipped.orderId());
  }

  @HandleMessage(projection = ReportProjections.PRODUCT_SALES)
  void cancelled(OrderCancelled cancelled) {
    jdbc.update(
        "insert into product_sales_hourly (sku, hour, units_cancelled)"
            + " select sku, hour, quantity from product_sales_line where order_id = ?"
            + " on conflict (sku, hour) do update set units_cancelled ="
            + " product_sales_hourly.units_cancelled + excluded.units_cancelled",
        cancelled.orderId());
  }
}
