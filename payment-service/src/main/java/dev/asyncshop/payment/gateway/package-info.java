/** The card gateway payments are charged through: here a simulated one with documented rules. */
@NullMarked
package dev.asyncshop.payment.gateway;

import org.jspecify.annotations.NullMarked;
