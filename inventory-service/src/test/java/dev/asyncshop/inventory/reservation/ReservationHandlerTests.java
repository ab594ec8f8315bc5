package dev.asyncshop.inventory.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import dev.asyncshop.inventory.stock.Shortfall;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.testkit.DeadLetteredMessage;
import dev.asyncshop.messaging.testkit.InMemoryMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Reserve and release over the in-memory transports; the reservation table and the stock are
 * stand-ins, the messaging pipeline (idempotency, retries, dead letters) is the library's own.
 */
@MessagingTest(ReservationCommands.class)
class ReservationHandlerTests {

  @Autowired MessagingTestKit messaging;
  @MockitoBean Reservations reservations;
  @MockitoBean Stock stock;

  @Test
  void aReservationWithStockForEveryLineTakesItAllAndIsPublished() {
    given(reservations.lock("o-1")).willReturn(Optional.empty());
    given(stock.take(any())).willReturn(Shortfall.NONE);

    messaging.send(reserve("o-1", line("sku-2", 1), line("sku-1", 2), line("sku-1", 1)));

    then(stock).should().take(new TreeMap<>(Map.of("sku-1", 3, "sku-2", 1)));
    then(reservations)
        .should()
        .add(
            "o-1", ReservationStatus.RESERVED, null, new TreeMap<>(Map.of("sku-1", 3, "sku-2", 1)));
    assertThat(messaging.published(InventoryReserved.class))
        .containsExactly(
            new InventoryReserved(
                "o-1",
                List.of(
                    new InventoryReserved.Line("sku-1", 3),
                    new InventoryReserved.Line("sku-2", 1))));
  }

  @Test
  void aReservationShortOfOneLineTakesNothingAndIsRejectedWithTheReason() {
    given(reservations.lock("o-2")).willReturn(Optional.empty());
    Shortfall shortfall = new Shortfall(List.of(), List.of(new Shortfall.Missing("sku-2", 5, 1)));
    given(stock.take(any())).willReturn(shortfall);

    messaging.send(reserve("o-2", line("sku-1", 1), line("sku-2", 5)));

    then(reservations)
        .should()
        .add("o-2", ReservationStatus.REJECTED, shortfall.reason(), Map.of());
    assertThat(messaging.published(InventoryReserved.class)).isEmpty();
    assertThat(messaging.published(InventoryRejected.class))
        .containsExactly(
            new InventoryRejected("o-2", "insufficient stock: sku-2 (requested 5, available 1)"));
  }

  @Test
  void aRedeliveredReservationIsSkippedAndTakesStockOnce() {
    given(reservations.lock("o-3")).willReturn(Optional.empty());
    given(stock.take(any())).willReturn(Shortfall.NONE);

    InMemoryMessage command = messaging.send(reserve("o-3", line("sku-1", 1)));
    messaging.deliver(command);

    then(stock).should().take(any());
    assertThat(messaging.duplicatesSkipped(ReserveInventory.class)).hasSize(1);
    assertThat(messaging.published(InventoryReserved.class)).hasSize(1);
  }

  @Test
  void aReleaseGivesTheReservedStockBackOnce() {
    given(reservations.lock("o-4"))
        .willReturn(
            Optional.of(ReservationStatus.RESERVED), Optional.of(ReservationStatus.RELEASED));
    given(reservations.lines("o-4")).willReturn(new TreeMap<>(Map.of("sku-1", 2)));

    messaging.send(new ReleaseInventory("o-4", "payment declined"));
    messaging.send(new ReleaseInventory("o-4", "payment declined"));

    then(stock).should().giveBack(new TreeMap<>(Map.of("sku-1", 2)));
    then(reservations).should().change("o-4", ReservationStatus.RELEASED, "payment declined");
    assertThat(messaging.published(InventoryReleased.class))
        .containsExactly(new InventoryReleased("o-4"));
  }

  @Test
  void aReleaseBeforeItsReservationLeavesATombstoneThatRejectsTheLateReservation() {
    given(reservations.lock("o-5"))
        .willReturn(Optional.empty(), Optional.of(ReservationStatus.CANCELLED));

    messaging.send(new ReleaseInventory("o-5", "timed out"));
    messaging.send(reserve("o-5", line("sku-1", 1)));

    then(reservations).should().add("o-5", ReservationStatus.CANCELLED, "timed out", Map.of());
    then(reservations)
        .should()
        .change("o-5", ReservationStatus.REJECTED, ReservationCommands.ORDER_CANCELLED);
    then(stock).should(never()).take(any());
    assertThat(messaging.published(InventoryReleased.class))
        .containsExactly(new InventoryReleased("o-5"));
    assertThat(messaging.published(InventoryRejected.class))
        .containsExactly(new InventoryRejected("o-5", ReservationCommands.ORDER_CANCELLED));
  }

  @Test
  void aReservationWithoutLinesIsDeadLetteredWithoutRetries() {
    given(reservations.lock("o-6")).willReturn(Optional.empty());

    messaging.send(new ReserveInventory("o-6", List.of()));

    assertThat(messaging.deadLettered(ReserveInventory.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason, DeadLetteredMessage::attempts)
        .containsExactly(DeadLetterReason.NON_RETRYABLE, 1);
    then(reservations).should(never()).add(eq("o-6"), any(), isNull(), anyMap());
  }

  @Test
  void aStockFailureIsRetriedAndThenHandled() {
    given(reservations.lock("o-7")).willReturn(Optional.empty());
    given(stock.take(any()))
        .willThrow(new IllegalStateException("Stock of sku-1 changed while locked"))
        .willReturn(Shortfall.NONE);

    messaging.send(reserve("o-7", line("sku-1", 1)));

    assertThat(messaging.retries(ReserveInventory.class)).isEqualTo(1);
    assertThat(messaging.published(InventoryReserved.class)).hasSize(1);
  }

  private static ReserveInventory reserve(String orderId, ReserveInventory.Line... lines) {
    return new ReserveInventory(orderId, List.of(lines));
  }

  private static ReserveInventory.Line line(String sku, int quantity) {
    return new ReserveInventory.Line(sku, quantity);
  }
}
