/** Schedules one shipment per order with the carrier, answering with an event. */
@NullMarked
package dev.asyncshop.shipping.shipment;

import org.jspecify.annotations.NullMarked;
