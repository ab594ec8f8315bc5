/**
 * What placement prices orders from without asking another service: the products inventory
 * publishes and the tariff shipping publishes, each a local table kept from its compacted topic and
 * read again from the start at every start.
 */
@NullMarked
package dev.asyncshop.order.catalogue;

import org.jspecify.annotations.NullMarked;
