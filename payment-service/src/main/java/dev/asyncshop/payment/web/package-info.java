/** What every endpoint of the service shares: RFC 9457 problem details for every error. */
@NullMarked
package dev.asyncshop.payment.web;

import org.jspecify.annotations.NullMarked;
