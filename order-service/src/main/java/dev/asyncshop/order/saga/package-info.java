/** Drives each order through its saga from the other services' events, and times out its steps. */
@NullMarked
package dev.asyncshop.order.saga;

import org.jspecify.annotations.NullMarked;
