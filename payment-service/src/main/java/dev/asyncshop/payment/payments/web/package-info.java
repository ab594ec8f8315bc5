/** Payments over HTTP, read-only: they change only through commands. */
@NullMarked
package dev.asyncshop.payment.payments.web;

import org.jspecify.annotations.NullMarked;
