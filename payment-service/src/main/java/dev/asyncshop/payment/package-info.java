/** Authorizes and refunds the payments of orders. */
@NullMarked
package dev.asyncshop.payment;

import org.jspecify.annotations.NullMarked;
