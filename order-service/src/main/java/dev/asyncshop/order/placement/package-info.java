/**
 * Places orders: prices them from inventory's catalogue and shipping's quote, stores them and
 * starts their saga, once per idempotency key.
 */
@NullMarked
package dev.asyncshop.order.placement;

import org.jspecify.annotations.NullMarked;
