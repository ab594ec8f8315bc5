/** Takes orders and drives each one through reservation, payment and shipping. */
@NullMarked
package dev.asyncshop.order;

import org.jspecify.annotations.NullMarked;
