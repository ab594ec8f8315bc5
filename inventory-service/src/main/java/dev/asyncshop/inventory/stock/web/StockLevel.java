package dev.asyncshop.inventory.stock.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;

/** The body of a restock: the absolute number of units now in stock. */
record StockLevel(@NotNull @PositiveOrZero @Nullable Integer quantity) {}
