/** The simulated gateway's outage over HTTP, for operators. */
@NullMarked
package dev.asyncshop.payment.gateway.web;

import org.jspecify.annotations.NullMarked;
