package dev.asyncshop.order.saga;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.order.Moment;
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
 * transaction that also records the message id, so a redelivered event changes nothing twice. An
 * answer that starts the next wait sets its deadline on saga time ({@link SagaClock}).
 */
@Component
class SagaHandlers {

  private final OrderSaga saga;
  private final SagaSettings settings;
  private final Clock clock;
  private final SagaClock sagaClock;

  SagaHandlers(OrderSaga saga, SagaSettings settings, Clock clock, SagaClock sagaClock) {
    this.saga = saga;
    this.settings = settings;
    this.clock = clock;
    this.sagaClock = sagaClock;
  }

  @HandleMessage
  void on(InventoryReserved event) {
    saga.advance(
        event.orderId(),
        "inventory.reserved",
        order -> order.markInventoryReserved(moment(), settings.stepTimeout()));
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
                moment(),
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

  /** Read only for the answers that set a deadline, and then after the order's row is locked. */
  private Moment moment() {
    return new Moment(now(), sagaClock.now().truncatedTo(ChronoUnit.MICROS));
  }

  private static String reason(@Nullable String reason) {
    return Objects.requireNonNullElse(reason, "no reason given");
  }
}
