package dev.asyncshop.order.catalogue;

import dev.asyncshop.messaging.MessageType;
import java.math.BigDecimal;

/**
 * A product as inventory last published it, keyed by SKU on {@code inventory.products}.
 *
 * @param available units inventory could still reserve when it published this; not used to refuse
 *     an order, since the reservation decides
 */
@MessageType("inventory.product-state.v1")
record ProductState(
    String sku,
    String name,
    BigDecimal unitPrice,
    String currency,
    BigDecimal weightKg,
    int available) {}
