package dev.asyncshop.inventory.stock;

import dev.asyncshop.messaging.MessageType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Asks for the catalogue entries of some SKUs, to price and weigh an order before placing it. */
@MessageType("inventory.catalogue.v1")
record CatalogueQuery(@Nullable List<String> skus) {}
