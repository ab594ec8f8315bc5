/** Reserves stock for orders and gives it back, once per order, answering with events. */
@NullMarked
package dev.asyncshop.inventory.reservation;

import org.jspecify.annotations.NullMarked;
