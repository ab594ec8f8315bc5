/**
 * Read models of the orders, kept from {@code orders.events} by projections of common-messaging:
 * sales per product per hour, and each customer's orders. Each can be rebuilt from the topic's
 * first event while the one in use keeps answering (README, Event sourcing and replay).
 */
@NullMarked
package dev.asyncshop.order.reports;

import org.jspecify.annotations.NullMarked;
