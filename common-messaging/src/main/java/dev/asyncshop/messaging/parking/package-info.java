/**
 * The parking lot: every dead letter of a service, from all three brokers and from its outbox, in
 * one place where an operator can look at it, fix it, replay it or throw it away. See {@link
 * dev.asyncshop.messaging.parking.ParkingLot}.
 */
@NullMarked
package dev.asyncshop.messaging.parking;

import org.jspecify.annotations.NullMarked;
