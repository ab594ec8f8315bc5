/**
 * The operators' web console: each service's health and backlogs, and its parking lot to inspect,
 * fix, replay and purge, as the logged-in operator.
 */
@NullMarked
package dev.asyncshop.console;

import org.jspecify.annotations.NullMarked;
