/**
 * The projection engine: a keeper per projection that holds its lock and runs a writer per live
 * generation, the generations' store, and {@code /ops/projections}.
 */
@NullMarked
package dev.asyncshop.messaging.internal.projection;

import org.jspecify.annotations.NullMarked;
