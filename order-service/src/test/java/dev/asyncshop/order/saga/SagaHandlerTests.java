package dev.asyncshop.order.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.testkit.InMemoryMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.order.InMemoryOrders;
import dev.asyncshop.order.Moment;
import dev.asyncshop.order.Order;
import dev.asyncshop.order.OrderEvent.OrderCancelled;
import dev.asyncshop.order.OrderEvent.OrderConfirmed;
import dev.asyncshop.order.OrderLine;
import dev.asyncshop.order.OrderMessages.AuthorizePayment;
import dev.asyncshop.order.OrderMessages.OrderStatusChanged;
import dev.asyncshop.order.OrderMessages.ReleaseInventory;
import dev.asyncshop.order.OrderMessages.ScheduleShipment;
import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.saga.InboundEvents.InventoryRejected;
import dev.asyncshop.order.saga.InboundEvents.InventoryReserved;
import dev.asyncshop.order.saga.InboundEvents.Line;
import dev.asyncshop.order.saga.InboundEvents.PaymentAuthorized;
import dev.asyncshop.order.saga.InboundEvents.PaymentDeclined;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The saga's answers from inventory and payment over the in-memory transports: what each one makes
 * order-service send and publish. Orders live in {@link InMemoryOrders}; the pipeline and the
 * outbox's sends are the library's and the kit's.
 */
@MessagingTest(SagaHandlers.class)
@Import({OrderSaga.class, InMemoryOrders.class, SagaHandlerTests.WallClockSagaTime.class})
class SagaHandlerTests {

  /** Saga time as if no outage ever happened: the time of day. */
  @TestConfiguration(proxyBeanMethods = false)
  static class WallClockSagaTime {

    @Bean
    SagaClock sagaClock(Clock clock) {
      return clock::instant;
    }
  }

  @Autowired MessagingTestKit messaging;
  @Autowired InMemoryOrders orders;
  @Autowired Clock clock;

  private final UUID id = UUID.randomUUID();

  @BeforeEach
  void placeAnOrder() {
    Order.Placed placed =
        Order.place(
            id,
            "customer-1",
            List.of(new OrderLine("MUG", "Mug", 2, new BigDecimal("12.50"), new BigDecimal("0.4"))),
            new ShippingAddress("Ada", "Main St 1", "Berlin", "10115", "DE"),
            "tok_visa",
            new BigDecimal("4.90"),
            "EUR",
            Moment.at(clock.instant()),
            Duration.ofSeconds(30));
    orders.add(placed.order(), List.of());
    // The placed order is each test's setup: only what the answers lead to is looked at.
    messaging.reset();
  }

  @Test
  void reservedInventoryLeadsToAPaymentAuthorizationForTheTotal() {
    messaging.publish(new InventoryReserved(id, List.of(new Line("MUG", 2))));

    assertThat(messaging.sent(AuthorizePayment.class))
        .containsExactly(
            new AuthorizePayment(id, "customer-1", new BigDecimal("29.90"), "EUR", "tok_visa"));
    assertThat(messaging.outbound())
        .allSatisfy(
            message -> assertThat(message.envelope().correlationId()).isEqualTo(id.toString()));
    assertThat(orders.status(id)).isEqualTo(OrderStatus.INVENTORY_RESERVED);
  }

  @Test
  void aStatusChangeIsBroadcastOnceTheHandlerReturned() {
    messaging.publish(new InventoryReserved(id, List.of(new Line("MUG", 2))));

    assertThat(messaging.broadcasts(OrderStatusChanged.class))
        .singleElement()
        .extracting(OrderStatusChanged::orderId, OrderStatusChanged::status)
        .containsExactly(id, OrderStatus.INVENTORY_RESERVED);
  }

  @Test
  void aRedeliveredReservationAsksForPaymentOnce() {
    InMemoryMessage reserved =
        messaging.publish(new InventoryReserved(id, List.of(new Line("MUG", 2))));

    messaging.deliver(reserved);

    assertThat(messaging.duplicatesSkipped(InventoryReserved.class)).hasSize(1);
    assertThat(messaging.sent(AuthorizePayment.class)).hasSize(1);
  }

  @Test
  void aDeclinedPaymentReleasesTheInventoryAndCancelsTheOrder() {
    messaging.publish(new InventoryReserved(id, List.of(new Line("MUG", 2))));

    messaging.publish(new PaymentDeclined(id, "card expired"));

    assertThat(messaging.sent(ReleaseInventory.class))
        .singleElement()
        .extracting(ReleaseInventory::orderId)
        .isEqualTo(id);
    assertThat(messaging.published(OrderCancelled.class))
        .singleElement()
        .satisfies(
            cancelled -> {
              assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
              assertThat(cancelled.reason()).contains("card expired");
            });
    assertThat(orders.status(id)).isEqualTo(OrderStatus.CANCELLED);
  }

  @Test
  void rejectedInventoryRejectsTheOrderAndChargesNothing() {
    messaging.publish(new InventoryRejected(id, "insufficient stock: MUG"));

    assertThat(messaging.sent(AuthorizePayment.class)).isEmpty();
    assertThat(messaging.published(OrderCancelled.class))
        .singleElement()
        .extracting(OrderCancelled::status)
        .isEqualTo(OrderStatus.REJECTED);
  }

  @Test
  void anAuthorizedPaymentConfirmsTheOrderAndAsksShippingToSchedule() {
    messaging.publish(new InventoryReserved(id, List.of(new Line("MUG", 2))));

    messaging.publish(new PaymentAuthorized(id, "pay-1", new BigDecimal("29.90"), "EUR"));

    assertThat(messaging.sent(ScheduleShipment.class))
        .singleElement()
        .extracting(ScheduleShipment::orderId)
        .isEqualTo(id);
    assertThat(messaging.published(OrderConfirmed.class))
        .singleElement()
        .extracting(OrderConfirmed::orderId)
        .isEqualTo(id);
  }

  @Test
  void anAnswerForAnUnknownOrderIsHandledAndChangesNothing() {
    messaging.publish(new InventoryReserved(UUID.randomUUID(), List.of(new Line("MUG", 2))));

    assertThat(messaging.handled(InventoryReserved.class)).hasSize(1);
    assertThat(messaging.outbound()).isEmpty();
    assertThat(messaging.deadLetters()).isEmpty();
  }
}
