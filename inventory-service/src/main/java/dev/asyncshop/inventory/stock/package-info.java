/**
 * The product catalogue and its stock levels: the only code that changes stock, and the one place
 * that broadcasts each change.
 */
@NullMarked
package dev.asyncshop.inventory.stock;

import org.jspecify.annotations.NullMarked;
