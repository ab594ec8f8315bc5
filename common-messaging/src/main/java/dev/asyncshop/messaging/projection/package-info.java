/**
 * Projections: read models a service keeps in its own database from Kafka topics of events, and can
 * rebuild from their first record beside the version readers use, switching readers over once the
 * new one has caught up. See {@link dev.asyncshop.messaging.projection.Projections}.
 */
@NullMarked
package dev.asyncshop.messaging.projection;

import org.jspecify.annotations.NullMarked;
