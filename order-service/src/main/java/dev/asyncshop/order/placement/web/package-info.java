/** {@code POST /orders}: validates the request and answers {@code 202} with the placed order. */
@NullMarked
package dev.asyncshop.order.placement.web;

import org.jspecify.annotations.NullMarked;
