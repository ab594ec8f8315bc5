package dev.asyncshop.order.saga;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.saga.InboundEvents.InventoryRejected;
import dev.asyncshop.order.saga.InboundEvents.InventoryReleased;
import dev.asyncshop.order.saga.InboundEvents.InventoryReserved;
import dev.asyncshop.order.saga.InboundEvents.PaymentAuthorized;
import dev.asyncshop.order.saga.InboundEvents.PaymentDeclined;
import dev.asyncshop.order.saga.InboundEvents.PaymentRefunded;
import dev.asyncshop.order.saga.InboundEvents.ShipmentScheduled;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The saga's answers from inventory, payment and shipping. The library runs each handler in a
 * transaction that also records the message id, so a redelivered event changes nothing twice.
 */
@Component
class SagaHandlers {

  private final OrderSaga saga;
  private final SagaSettings settings;
  private final Clock clock;

  SagaHandlers(OrderSaga saga, SagaSettings settings, Clock clock) {
    this.saga = saga;
    this.settings = settings;
    this.clock = clock;
  }

  @HandleMessage
  void on(InventoryReserved event) {
    saga.advance(
        event.orderId(),
        "inventory.reserved",
        order -> order.markInventoryReserved(now(), settings.stepTimeout()));
  }

  @HandleMessage
  void on(InventoryRejected event) {
    saga.advance(
        event.orderId(),
        "inventory.rejected",
        order -> order.markInventoryRejected(reason(event.reason()), now()));
  }

  @HandleMessage
  void on(InventoryReleased event) {
    saga.advance(
        event.orderId(), "inventory.released", order -> order.markInventoryReleased(now()));
  }

  @HandleMessage
  void on(PaymentAuthorized event) {
    saga.advance(
        event.orderId(),
        "payment.authorized",
        order ->
            order.markPaymentAuthorized(
                event.paymentId(),
                event.amount(),
                event.currency(),
                now(),
                settings.stepTimeout()));
  }

  @HandleMessage
  void on(PaymentDeclined event) {
    saga.advance(
        event.orderId(),
        "payment.declined",
        order -> order.markPaymentDeclined(reason(event.reason()), now()));
  }

  @HandleMessage
  void on(PaymentRefunded event) {
    saga.advance(
        event.orderId(),
        "payment.refunded",
        order ->
            order.markPaymentRefunded(event.paymentId(), event.amount(), event.currency(), now()));
  }

  @HandleMessage
  void on(ShipmentScheduled event) {
    saga.advance(
        event.orderId(),
        "shipment.scheduled",
        order ->
            order.markShipmentScheduled(
                event.shipmentId(),
                event.trackingNumber(),
                event.carrier(),
                event.estimatedDelivery(),
                now()));
  }

  /** PostgreSQL keeps microseconds; the order shows the same instant before and after storing. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static String reason(@Nullable String reason) {
    return Objects.requireNonNullElse(reason, "no reason given");
  }
}
