/** The shipping tariff, and the quote query that asks it. */
@NullMarked
package dev.asyncshop.shipping.quote;

import org.jspecify.annotations.NullMarked;
