/** Shipments over HTTP, read-only: they are created only through commands. */
@NullMarked
package dev.asyncshop.shipping.shipment.web;

import org.jspecify.annotations.NullMarked;
