/**
 * What every endpoint shares: RFC 9457 problem details for every error, and the body size limit.
 */
@NullMarked
package dev.asyncshop.order.web;

import org.jspecify.annotations.NullMarked;
