/**
 * The parking lot behind {@link dev.asyncshop.messaging.parking.ParkingLot}: a table in the
 * service's database, the intakes that move each broker's dead letters into it, the replays, and
 * its REST API.
 */
@NullMarked
package dev.asyncshop.messaging.internal.parking;

import org.jspecify.annotations.NullMarked;
