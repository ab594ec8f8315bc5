/** Shows orders as they go: each order with its timeline, lists of orders, and live streams. */
@NullMarked
package dev.asyncshop.order.tracking;

import org.jspecify.annotations.NullMarked;
