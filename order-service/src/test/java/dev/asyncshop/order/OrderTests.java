package dev.asyncshop.order;

import static dev.asyncshop.order.OrderStatus.CANCELLED;
import static dev.asyncshop.order.OrderStatus.CONFIRMED;
import static dev.asyncshop.order.OrderStatus.INVENTORY_RESERVED;
import static dev.asyncshop.order.OrderStatus.PAYMENT_AUTHORIZED;
import static dev.asyncshop.order.OrderStatus.PENDING;
import static dev.asyncshop.order.OrderStatus.REJECTED;
import static dev.asyncshop.order.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncshop.order.OrderEvent.CancelCause;
import dev.asyncshop.order.OrderEvent.OrderCancelled;
import dev.asyncshop.order.OrderEvent.OrderConfirmed;
import dev.asyncshop.order.OrderEvent.OrderPaid;
import dev.asyncshop.order.OrderEvent.OrderPlaced;
import dev.asyncshop.order.OrderEvent.OrderShipped;
import dev.asyncshop.order.OrderMessages.AuthorizePayment;
import dev.asyncshop.order.OrderMessages.Line;
import dev.asyncshop.order.OrderMessages.RefundPayment;
import dev.asyncshop.order.OrderMessages.ReleaseInventory;
import dev.asyncshop.order.OrderMessages.ReserveInventory;
import dev.asyncshop.order.OrderMessages.ScheduleShipment;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The saga's rules, one transition at a time, without a database or a broker. */
class OrderTests {

  static final Duration STEP = Duration.ofSeconds(30);
  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  static final UUID ID = UUID.fromString("6f1d2c0e-1c2b-4d5e-9f00-0123456789ab");

  static Order.Placed placed() {
    return Order.place(
        ID,
        "customer-1",
        List.of(
            new OrderLine("MUG", "Mug", 2, new BigDecimal("12.50"), new BigDecimal("0.400")),
            new OrderLine("TEE", "T-shirt", 1, new BigDecimal("19.99"), new BigDecimal("0.200"))),
        new ShippingAddress("Ada", "Main St 1", "Berlin", "10115", "DE"),
        "tok_visa",
        new BigDecimal("4.9"),
        "EUR",
        Moment.at(T0),
        STEP);
  }

  /**
   * An order in the given status, as loaded from the events that brought it there (placed, and
   * answered, at T0), with no new events.
   */
  static Order in(OrderStatus status) {
    Order order = placed().order();
    switch (status) {
      case PENDING -> {}
      case REJECTED -> order.markInventoryRejected("out of stock: MUG", T0);
      case CANCELLED -> order.timeOut(Moment.at(T0.plus(STEP)));
      default -> {
        order.markInventoryReserved(Moment.at(T0), STEP);
        if (status != INVENTORY_RESERVED) {
          order.markPaymentAuthorized("pay-0", new BigDecimal("49.89"), "EUR", Moment.at(T0), STEP);
        }
        if (status == SHIPPED) {
          order.markShipmentScheduled("shp-0", "TRK-1", "DHL", null, T0);
        }
      }
    }
    return Order.replay(ID, order.newEvents(), order.personalData());
  }

  static List<Object> messages(List<SagaCommand> commands) {
    return commands.stream().map(SagaCommand::message).toList();
  }

  static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void placingPricesTheOrderAndAsksInventoryToReserve() {
    Order.Placed placed = placed();
    Order order = placed.order();

    assertThat(order.status()).isEqualTo(PENDING);
    assertThat(order.totals())
        .isEqualTo(
            new Totals(
                new BigDecimal("44.99"), new BigDecimal("4.90"), new BigDecimal("49.89"), "EUR"));
    assertThat(order.snapshot().weightKg()).isEqualByComparingTo("1.0");
    assertThat(order.deadline()).isEqualTo(T0.plus(STEP));
    assertThat(messages(placed.commands()))
        .containsExactly(new ReserveInventory(ID, List.of(new Line("MUG", 2), new Line("TEE", 1))));
    assertThat(order.newEvents())
        .singleElement()
        .isInstanceOfSatisfying(
            OrderPlaced.class,
            event -> {
              assertThat(event.version()).isEqualTo(1);
              assertThat(event.total()).isEqualTo(new BigDecimal("49.89"));
              assertThat(event.currency()).isEqualTo("EUR");
              assertThat(event.deadline()).isEqualTo(T0.plus(STEP));
              assertThat(event.lines()).hasSize(2);
            });
    assertThat(order.newTimelineEntries())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.status()).isEqualTo(PENDING);
              assertThat(entry.at()).isEqualTo(T0);
            });
    assertThat(order.statusChanges()).hasSize(1);
  }

  @Nested
  class HappyPath {

    @Test
    void reservedAsksPaymentForTheTotal() {
      Order order = in(PENDING);

      List<SagaCommand> sent = order.markInventoryReserved(Moment.at(at(1)), STEP);

      assertThat(order.status()).isEqualTo(INVENTORY_RESERVED);
      assertThat(order.deadline()).isEqualTo(at(1).plus(STEP));
      assertThat(messages(sent))
          .containsExactly(
              new AuthorizePayment(ID, "customer-1", new BigDecimal("49.89"), "EUR", "tok_visa"));
    }

    @Test
    void authorizedConfirmsInTwoStepsAndAsksShippingToSchedule() {
      Order order = in(INVENTORY_RESERVED);

      List<SagaCommand> sent =
          order.markPaymentAuthorized(
              "pay-1", new BigDecimal("49.89"), "EUR", Moment.at(at(2)), STEP);

      assertThat(order.status()).isEqualTo(CONFIRMED);
      assertThat(order.newTimelineEntries())
          .extracting(TimelineEntry::status)
          .containsExactly(PAYMENT_AUTHORIZED, CONFIRMED);
      assertThat(order.statusChanges()).hasSize(2);
      assertThat(order.snapshot().cardToken()).as("card token forgotten").isNull();
      assertThat(order.deadline()).as("shipping is awaited without a deadline").isNull();
      assertThat(order.newEvents())
          .containsExactly(
              new OrderPaid(ID, 3, at(2), "pay-1", new BigDecimal("49.89"), "EUR"),
              new OrderConfirmed(ID, 4, at(2)));
      assertThat(messages(sent))
          .containsExactly(
              new ScheduleShipment(
                  ID,
                  new OrderMessages.Address("Ada", "Main St 1", "Berlin", "10115", "DE"),
                  new BigDecimal("1.000")));
    }

    @Test
    void scheduledShipsWithTheTrackingNumber() {
      Order order = in(CONFIRMED);

      List<SagaCommand> sent =
          order.markShipmentScheduled("shp-1", "TRK-9", "DHL", LocalDate.of(2026, 11, 5), at(3));

      assertThat(order.status()).isEqualTo(SHIPPED);
      assertThat(order.trackingNumber()).isEqualTo("TRK-9");
      assertThat(order.deadline()).isNull();
      assertThat(sent).isEmpty();
      assertThat(order.newEvents())
          .containsExactly(
              new OrderShipped(ID, 5, at(3), "shp-1", "TRK-9", "DHL", LocalDate.of(2026, 11, 5)));
      assertThat(order.newTimelineEntries().get(0).detail()).contains("TRK-9", "DHL", "2026-11-05");
    }
  }

  @Nested
  class Refusals {

    @Test
    void rejectedEndsTheOrderWithoutCharging() {
      Order order = in(PENDING);

      List<SagaCommand> sent = order.markInventoryRejected("out of stock: MUG", at(1));

      assertThat(order.status()).isEqualTo(REJECTED);
      assertThat(order.deadline()).isNull();
      assertThat(order.snapshot().cardToken()).isNull();
      assertThat(sent).isEmpty();
      assertThat(order.newEvents())
          .containsExactly(
              new OrderCancelled(
                  ID,
                  2,
                  at(1),
                  REJECTED,
                  CancelCause.INVENTORY_REJECTED,
                  "out of stock: MUG",
                  "inventory rejected: out of stock: MUG"));
    }

    @Test
    void declinedCancelsAndReleasesTheStock() {
      Order order = in(INVENTORY_RESERVED);

      List<SagaCommand> sent = order.markPaymentDeclined("card expired", at(2));

      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(order.deadline()).isNull();
      assertThat(messages(sent)).containsExactly(new ReleaseInventory(ID, "payment declined"));
      assertThat(order.newEvents())
          .singleElement()
          .isInstanceOfSatisfying(
              OrderCancelled.class,
              event -> {
                assertThat(event.cause()).isEqualTo(CancelCause.PAYMENT_DECLINED);
                assertThat(event.reason()).isEqualTo("payment declined: card expired");
              });
    }
  }

  @Nested
  class Timeouts {

    @Test
    void nothingHappensBeforeTheDeadline() {
      Order order = in(PENDING);

      assertThat(order.timeOut(Moment.at(T0.plus(STEP).minusMillis(1)))).isEmpty();
      assertThat(order.isUnchanged()).isTrue();
    }

    @Test
    void waitingForInventoryReleasesInCaseItReservedAfterAll() {
      Order order = in(PENDING);

      List<SagaCommand> sent = order.timeOut(Moment.at(T0.plus(STEP)));

      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(messages(sent))
          .containsExactly(new ReleaseInventory(ID, "timed out waiting for inventory"));
      assertThat(order.newEvents())
          .singleElement()
          .extracting(event -> ((OrderCancelled) event).reason())
          .isEqualTo("timed out waiting for inventory");
    }

    @Test
    void waitingForPaymentReleasesTheStock() {
      Order order = in(INVENTORY_RESERVED);

      List<SagaCommand> sent = order.timeOut(Moment.at(at(31)));

      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(order.snapshot().cardToken()).isNull();
      assertThat(messages(sent))
          .containsExactly(new ReleaseInventory(ID, "timed out waiting for payment"));
      assertThat(order.newEvents())
          .singleElement()
          .extracting(event -> ((OrderCancelled) event).reason())
          .isEqualTo("timed out waiting for payment");
    }

    @Test
    void theDeadlineRunsOnSagaTimeWhileTheTimelineShowsTheTimeOfDay() {
      Order order = in(PENDING);
      // Reserved after the saga clock sat out an outage of 99 s.
      order.markInventoryReserved(new Moment(at(100), at(1)), STEP);

      assertThat(order.deadline()).isEqualTo(at(1).plus(STEP));
      assertThat(order.timeOut(new Moment(at(200), at(1).plus(STEP).minusMillis(1))))
          .as("past the deadline by the time of day, not by saga time")
          .isEmpty();

      List<SagaCommand> sent = order.timeOut(new Moment(at(300), at(1).plus(STEP)));

      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(sent).isNotEmpty();
      assertThat(order.newTimelineEntries())
          .extracting(TimelineEntry::at)
          .containsExactly(at(100), at(300));
    }

    @Test
    void confirmedOrdersWaitForShippingWithoutADeadline() {
      Order order = in(CONFIRMED);

      List<SagaCommand> sent = order.timeOut(Moment.at(at(3600)));

      assertThat(order.status()).isEqualTo(CONFIRMED);
      assertThat(sent).isEmpty();
    }

    @Test
    void endedOrdersNeverTimeOut() {
      for (OrderStatus status : List.of(SHIPPED, REJECTED, CANCELLED)) {
        Order order = in(status);
        assertThat(order.timeOut(Moment.at(at(3600)))).isEmpty();
        assertThat(order.status()).isEqualTo(status);
      }
    }
  }

  @Nested
  class LateAnswers {

    @Test
    void lateAuthorizationIsRefundedAndTheOrderStaysCancelled() {
      for (OrderStatus ended : List.of(CANCELLED, REJECTED)) {
        Order order = in(ended);

        List<SagaCommand> sent =
            order.markPaymentAuthorized(
                "pay-1", new BigDecimal("49.89"), "EUR", Moment.at(at(40)), STEP);

        assertThat(order.status()).isEqualTo(ended);
        assertThat(messages(sent)).singleElement().isInstanceOf(RefundPayment.class);
        assertThat(order.newTimelineEntries())
            .singleElement()
            .satisfies(
                entry -> {
                  assertThat(entry.status()).isEqualTo(ended);
                  assertThat(entry.detail()).contains("pay-1", "refund requested");
                });
        assertThat(order.statusChanges()).as("no status change to broadcast").isEmpty();
      }
    }

    @Test
    void lateReservationIsReleased() {
      Order order = in(CANCELLED);

      List<SagaCommand> sent = order.markInventoryReserved(Moment.at(at(40)), STEP);

      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(messages(sent))
          .containsExactly(new ReleaseInventory(ID, "order cancelled before the reservation"));
    }

    @Test
    void lateShipmentIsOnlyRecorded() {
      Order order = in(CANCELLED);

      List<SagaCommand> sent = order.markShipmentScheduled("shp-1", "TRK-9", "DHL", null, at(40));

      assertThat(sent).isEmpty();
      assertThat(order.status()).isEqualTo(CANCELLED);
      assertThat(order.trackingNumber()).isNull();
      assertThat(order.newTimelineEntries())
          .singleElement()
          .extracting(TimelineEntry::detail)
          .asString()
          .contains("TRK-9", "after the order was cancelled");
    }

    @Test
    void compensationResultsAreRecordedOnEndedOrders() {
      Order order = in(CANCELLED);

      assertThat(order.markInventoryReleased(at(41))).isEmpty();
      assertThat(order.markPaymentRefunded("pay-1", new BigDecimal("49.89"), "EUR", at(42)))
          .isEmpty();

      assertThat(order.newTimelineEntries())
          .extracting(TimelineEntry::detail)
          .containsExactly("Inventory released", "Payment pay-1 refunded (49.89 EUR)");
    }
  }

  @Nested
  class AnswersThatDoNotFit {

    @Test
    void changeNothingAndSendNothing() {
      assertUnchanged(in(INVENTORY_RESERVED), o -> o.markInventoryReserved(Moment.at(at(1)), STEP));
      assertUnchanged(in(INVENTORY_RESERVED), o -> o.markInventoryRejected("no", at(1)));
      assertUnchanged(
          in(PENDING),
          o -> o.markPaymentAuthorized("p", BigDecimal.ONE, "EUR", Moment.at(at(1)), STEP));
      assertUnchanged(in(PENDING), o -> o.markPaymentDeclined("no", at(1)));
      assertUnchanged(
          in(INVENTORY_RESERVED), o -> o.markShipmentScheduled("s", "t", "c", null, at(1)));
      assertUnchanged(in(CONFIRMED), o -> o.markPaymentDeclined("no", at(1)));
      assertUnchanged(
          in(SHIPPED),
          o -> o.markPaymentAuthorized("p", BigDecimal.ONE, "EUR", Moment.at(at(1)), STEP));
      assertUnchanged(in(SHIPPED), o -> o.markShipmentScheduled("s", "t", "c", null, at(1)));
      assertUnchanged(in(SHIPPED), o -> o.markInventoryReleased(at(1)));
      assertUnchanged(in(REJECTED), o -> o.markInventoryRejected("again", at(1)));
    }

    private void assertUnchanged(
        Order order, java.util.function.Function<Order, List<SagaCommand>> step) {
      OrderStatus before = order.status();
      assertThat(step.apply(order)).isEmpty();
      assertThat(order.status()).isEqualTo(before);
      assertThat(order.isUnchanged()).isTrue();
    }
  }

  @Nested
  class Replay {

    @Test
    void anOrderReplayedFromItsEventsIsTheOrderThatRaisedThem() {
      Order order = placed().order();
      order.markInventoryReserved(Moment.at(at(1)), STEP);
      order.markPaymentAuthorized("pay-1", new BigDecimal("49.89"), "EUR", Moment.at(at(2)), STEP);
      order.markShipmentScheduled("shp-1", "TRK-9", "DHL", null, at(3));
      order.markPaymentRefunded("pay-1", new BigDecimal("49.89"), "EUR", at(4));

      Order replayed = Order.replay(ID, order.newEvents(), order.personalData());

      assertThat(replayed.snapshot()).isEqualTo(order.snapshot());
      assertThat(replayed.timeline()).isEqualTo(order.timeline());
      assertThat(replayed.newEvents()).isEmpty();
      assertThat(replayed.version()).isEqualTo(5);
    }

    @Test
    void anEndedOrderForgetsAnyCardTokenItIsGiven() {
      Order cancelled = in(CANCELLED);

      Order replayed =
          Order.replay(
              ID,
              placedAndCancelled(),
              new Order.PersonalData(placed().order().snapshot().address(), "tok_visa"));

      assertThat(replayed.snapshot().cardToken()).isNull();
      assertThat(replayed.snapshot()).isEqualTo(cancelled.snapshot());
    }

    @Test
    void aStreamWithAGapIsRefused() {
      Order order = placed().order();
      order.markInventoryReserved(Moment.at(at(1)), STEP);
      order.markPaymentAuthorized("pay-1", new BigDecimal("49.89"), "EUR", Moment.at(at(2)), STEP);
      List<OrderEvent> events = new java.util.ArrayList<>(order.newEvents());
      events.remove(1);

      assertThatThrownBy(() -> Order.replay(ID, events, order.personalData()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected version 2");
    }

    private List<OrderEvent> placedAndCancelled() {
      Order order = placed().order();
      order.timeOut(Moment.at(T0.plus(STEP)));
      return order.newEvents();
    }
  }
}
