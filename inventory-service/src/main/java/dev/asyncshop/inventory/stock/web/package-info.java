/** The catalogue over HTTP: products, and setting a product's stock level. */
@NullMarked
package dev.asyncshop.inventory.stock.web;

import org.jspecify.annotations.NullMarked;
