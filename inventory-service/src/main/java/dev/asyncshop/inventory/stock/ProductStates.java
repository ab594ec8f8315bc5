package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.Outbox;
import java.util.Collection;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes each product's current state ({@link ProductState}) through the outbox, in the
 * transaction that changed it, so the topic never says what a rolled-back change did and never
 * misses what a committed one did. Once at every start it publishes every product, so a new topic
 * is seeded and one whose records were lost is repaired; a state repeated is harmless to its
 * readers, which keep the last state of each SKU.
 */
@Component
class ProductStates {

  private final Catalogue catalogue;
  private final Outbox outbox;

  ProductStates(Catalogue catalogue, Outbox outbox) {
    this.catalogue = catalogue;
    this.outbox = outbox;
  }

  /** The state of these products as the caller's transaction leaves them. */
  @Transactional(propagation = Propagation.MANDATORY)
  void changed(Collection<String> skus) {
    catalogue.findAll(skus).forEach(this::publish);
  }

  @EventListener(ApplicationReadyEvent.class)
  @Transactional
  public void publishAll() {
    // Shared locks: a stock change that commits meanwhile waits, and its own state is written to
    // the outbox after these, so the topic's last state of a product is never this older one.
    catalogue.allForShare().forEach(this::publish);
  }

  private void publish(Product product) {
    outbox.publish(ProductState.of(product), MessageOptions.about(product.sku()));
  }
}
