package dev.asyncshop.inventory.stock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes stock levels. Stock never goes below zero, whatever the concurrency: taking locks the
 * products' rows in SKU order (so two orders over the same SKUs cannot deadlock), checks every line
 * and only then takes; the update itself is conditional, and the table has a check constraint as
 * the last guard. Every change is broadcast after commit, and the products' new state is published
 * through the outbox in the same transaction.
 */
@Component
public class Stock {

  private final JdbcClient jdbc;
  private final StockBroadcasts broadcasts;
  private final ProductStates states;

  Stock(JdbcClient jdbc, StockBroadcasts broadcasts, ProductStates states) {
    this.jdbc = jdbc;
    this.broadcasts = broadcasts;
    this.states = states;
  }

  /**
   * Takes every quantity out of stock, or nothing at all, in the caller's transaction.
   *
   * @param quantitiesBySku positive quantities
   * @return what was missing; {@link Shortfall#isEmpty() empty} when the stock was taken
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Shortfall take(SortedMap<String, Integer> quantitiesBySku) {
    Map<String, Integer> levels = new HashMap<>();
    jdbc.sql("select sku, stock from product where sku in (:skus) order by sku for update")
        .param("skus", quantitiesBySku.keySet())
        .query((rs, row) -> levels.put(rs.getString("sku"), rs.getInt("stock")))
        .list();
    List<String> unknown = new ArrayList<>();
    List<Shortfall.Missing> missing = new ArrayList<>();
    quantitiesBySku.forEach(
        (sku, requested) -> {
          Integer available = levels.get(sku);
          if (available == null) {
            unknown.add(sku);
          } else if (available < requested) {
            missing.add(new Shortfall.Missing(sku, requested, available));
          }
        });
    if (!unknown.isEmpty() || !missing.isEmpty()) {
      return new Shortfall(unknown, missing);
    }
    Map<String, Integer> changed = new TreeMap<>();
    quantitiesBySku.forEach(
        (sku, quantity) -> {
          int left =
              jdbc.sql(
                      "update product set stock = stock - :quantity, updated_at = now()"
                          + " where sku = :sku and stock >= :quantity returning stock")
                  .param("quantity", quantity)
                  .param("sku", sku)
                  .query(Integer.class)
                  .optional()
                  .orElseThrow(
                      () -> new IllegalStateException("Stock of " + sku + " changed while locked"));
          changed.put(sku, left);
        });
    broadcasts.afterCommit(changed);
    states.changed(changed.keySet());
    return Shortfall.NONE;
  }

  /** Puts quantities back into stock, in the caller's transaction. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void giveBack(SortedMap<String, Integer> quantitiesBySku) {
    Map<String, Integer> changed = new TreeMap<>();
    quantitiesBySku.forEach(
        (sku, quantity) ->
            jdbc.sql(
                    "update product set stock = stock + :quantity, updated_at = now()"
                        + " where sku = :sku returning stock")
                .param("quantity", quantity)
                .param("sku", sku)
                .query(Integer.class)
                .optional()
                .ifPresent(left -> changed.put(sku, left)));
    broadcasts.afterCommit(changed);
    states.changed(changed.keySet());
  }

  /**
   * Sets a product's stock to an absolute level (a stock count or a delivery), so repeating the
   * call changes nothing.
   *
   * @throws UnknownProductException if no product has the SKU
   */
  @Transactional
  public void setLevel(String sku, int quantity) {
    if (quantity < 0) {
      throw new IllegalArgumentException("A stock level cannot be negative: " + quantity);
    }
    int current =
        jdbc.sql("select stock from product where sku = :sku for update")
            .param("sku", sku)
            .query(Integer.class)
            .optional()
            .orElseThrow(() -> new UnknownProductException(sku));
    if (current == quantity) {
      return;
    }
    jdbc.sql("update product set stock = :quantity, updated_at = now() where sku = :sku")
        .param("quantity", quantity)
        .param("sku", sku)
        .update();
    broadcasts.afterCommit(Map.of(sku, quantity));
    states.changed(List.of(sku));
  }
}
