/** HTTP access to orders: one order, a page of orders, and an order's live status stream. */
@NullMarked
package dev.asyncshop.order.tracking.web;

import org.jspecify.annotations.NullMarked;
