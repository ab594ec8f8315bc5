/** The read models over HTTP, at {@code /reports}. */
@NullMarked
package dev.asyncshop.order.reports.web;

import org.jspecify.annotations.NullMarked;
