package dev.asyncshop.shipping.shipment;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageOptions;
import dev.asyncshop.messaging.NonRetryableMessageException;
import dev.asyncshop.messaging.Outbox;
import dev.asyncshop.shipping.quote.Rate;
import dev.asyncshop.shipping.quote.Tariff;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Schedules shipments. The handler runs in the transaction in which the library records the message
 * as handled, and its event goes out through the outbox in that same transaction. An order ships
 * once: a second schedule for it, whatever its message id, finds the first shipment and does
 * nothing.
 */
@Component
class ShipmentCommands {

  static final String CARRIER = "DHL";

  private static final Logger log = LoggerFactory.getLogger(ShipmentCommands.class);

  private final Shipments shipments;
  private final Tariff tariff;
  private final TrackingNumbers trackingNumbers;
  private final Outbox outbox;
  private final Clock clock;

  ShipmentCommands(
      Shipments shipments,
      Tariff tariff,
      TrackingNumbers trackingNumbers,
      Outbox outbox,
      Clock clock) {
    this.shipments = shipments;
    this.tariff = tariff;
    this.trackingNumbers = trackingNumbers;
    this.outbox = outbox;
    this.clock = clock;
  }

  @HandleMessage
  void schedule(ScheduleShipment command) {
    String orderId = required(command.orderId(), "an order id");
    Address address = address(command.address());
    if (command.weightKg() == null) {
      throw new NonRetryableMessageException("Shipment of order " + orderId + " has no weight");
    }
    Optional<Shipment> earlier = shipments.find(orderId);
    if (earlier.isPresent()) {
      log.info(
          "Order {} already ships as {}; schedule ignored",
          orderId,
          earlier.get().trackingNumber());
      return;
    }
    Rate rate;
    try {
      rate = tariff.rateFor(address.country(), command.weightKg());
    } catch (IllegalArgumentException e) {
      throw new NonRetryableMessageException(e.getMessage(), e);
    }
    Shipment shipment =
        new Shipment(
            UUID.randomUUID(),
            orderId,
            trackingNumbers.next(),
            CARRIER,
            address,
            command.weightKg(),
            rate.price(),
            rate.currency(),
            LocalDate.now(clock).plusDays(rate.etaDays()),
            clock.instant());
    if (!shipments.addIfAbsent(shipment)) {
      log.info("Order {} was scheduled by a concurrent command; this one is ignored", orderId);
      return;
    }
    outbox.publish(
        new ShipmentScheduled(
            orderId,
            shipment.id().toString(),
            shipment.trackingNumber(),
            shipment.carrier(),
            shipment.estimatedDelivery()),
        MessageOptions.about(orderId));
  }

  private static Address address(ScheduleShipment.@Nullable Address address) {
    if (address == null) {
      throw new NonRetryableMessageException("Shipment without an address");
    }
    return new Address(
        required(address.name(), "a recipient"),
        required(address.street(), "a street"),
        required(address.city(), "a city"),
        required(address.postalCode(), "a postal code"),
        required(address.country(), "a country").trim().toUpperCase(Locale.ROOT));
  }

  private static String required(@Nullable String value, String what) {
    if (value == null || value.isBlank()) {
      throw new NonRetryableMessageException("Shipment command without " + what);
    }
    return value;
  }
}
