/** Authorizes and refunds the payment of each order, once, answering with events. */
@NullMarked
package dev.asyncshop.payment.payments;

import org.jspecify.annotations.NullMarked;
