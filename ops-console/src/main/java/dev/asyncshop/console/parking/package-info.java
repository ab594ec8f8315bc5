/**
 * The parking lots of all the services as one: list and filter, inspect a message, fix its payload,
 * replay and purge it, one by one or by filter after a dry run. The records here are the console's
 * own reading of the services' {@code /ops/dead-letters} answers: states, reasons and outcomes are
 * kept as text, so a service that learns a new one does not break the console.
 */
@NullMarked
package dev.asyncshop.console.parking;

import org.jspecify.annotations.NullMarked;
