/** Quotes and schedules the shipments of orders. */
@NullMarked
package dev.asyncshop.shipping;

import org.jspecify.annotations.NullMarked;
