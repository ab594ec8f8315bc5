/** Keeps stock levels and reserves or releases stock for orders. */
@NullMarked
package dev.asyncshop.inventory;

import org.jspecify.annotations.NullMarked;
