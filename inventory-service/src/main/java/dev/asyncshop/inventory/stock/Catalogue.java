package dev.asyncshop.inventory.stock;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the catalogue. */
@Component
public class Catalogue {

  private static final String SELECT =
      "select sku, name, unit_price, currency, weight_kg, stock from product";

  private final JdbcClient jdbc;

  Catalogue(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Product> all() {
    return jdbc.sql(SELECT + " order by sku").query(Product.class).list();
  }

  /** Every product, each row share-locked until the transaction ends, in SKU order. */
  public List<Product> allForShare() {
    return jdbc.sql(SELECT + " order by sku for share").query(Product.class).list();
  }

  public Optional<Product> find(String sku) {
    return jdbc.sql(SELECT + " where sku = :sku").param("sku", sku).query(Product.class).optional();
  }

  /** The products among these SKUs that exist, in SKU order. */
  public List<Product> findAll(Collection<String> skus) {
    if (skus.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(SELECT + " where sku in (:skus) order by sku")
        .param("skus", skus)
        .query(Product.class)
        .list();
  }
}
