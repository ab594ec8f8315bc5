package dev.asyncshop.order.catalogue;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.LocalTables;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The catalogue as inventory publishes it: the last state of each product read from {@code
 * inventory.products}, which this instance reads from the start at every start. Prices are
 * eventually consistent: an order is priced from the last state this instance has read, which may
 * be a moment older than inventory's.
 */
@Component
public class LocalCatalogue {

  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final LocalTables tables;

  public LocalCatalogue(LocalTables tables) {
    this.tables = tables;
  }

  @HandleMessage(table = true)
  void apply(ProductState state) {
    products.put(
        state.sku(),
        new Product(
            state.sku(), state.name(), state.unitPrice(), state.currency(), state.weightKg()));
  }

  /**
   * Whether the catalogue has read every product state its topic held when this instance started;
   * before that, a product may be missing or stale.
   */
  public boolean caughtUp() {
    return tables.caughtUp(ProductState.class);
  }

  /** The products among these SKUs that the catalogue knows, by SKU. */
  public Map<String, Product> find(Collection<String> skus) {
    Map<String, Product> found = new LinkedHashMap<>();
    for (String sku : skus) {
      Product product = products.get(sku);
      if (product != null) {
        found.put(sku, product);
      }
    }
    return found;
  }
}
