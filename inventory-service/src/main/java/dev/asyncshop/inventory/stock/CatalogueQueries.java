package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.HandleMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Answers catalogue queries. Stock is left out: it changes too often to be worth asking for. */
@Component
class CatalogueQueries {

  private final Catalogue catalogue;

  CatalogueQueries(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  @HandleMessage
  CatalogueReply describe(CatalogueQuery query) {
    Set<String> asked = new LinkedHashSet<>();
    if (query.skus() != null) {
      query.skus().stream().filter(Objects::nonNull).forEach(asked::add);
    }
    List<Product> found = catalogue.findAll(asked);
    found.forEach(product -> asked.remove(product.sku()));
    return new CatalogueReply(
        found.stream()
            .map(
                p ->
                    new CatalogueReply.Entry(
                        p.sku(), p.name(), p.unitPrice(), p.currency(), p.weightKg()))
            .toList(),
        List.copyOf(asked));
  }
}
