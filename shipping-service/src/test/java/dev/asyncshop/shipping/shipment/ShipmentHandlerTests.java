package dev.asyncshop.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

import dev.asyncshop.messaging.DeadLetterReason;
import dev.asyncshop.messaging.testkit.DeadLetteredMessage;
import dev.asyncshop.messaging.testkit.InMemoryMessage;
import dev.asyncshop.messaging.testkit.MessagingTest;
import dev.asyncshop.messaging.testkit.MessagingTestKit;
import dev.asyncshop.shipping.quote.Tariff;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * Scheduling over the in-memory transports, with the real tariff and tracking numbers; the
 * shipments table is a stand-in.
 */
@MessagingTest(ShipmentCommands.class)
@Import({Tariff.class, TrackingNumbers.class})
class ShipmentHandlerTests {

  @Autowired MessagingTestKit messaging;
  @MockitoBean Shipments shipments;

  @Test
  void aScheduledShipmentIsPublishedWithItsTrackingNumber() {
    given(shipments.find("o-1")).willReturn(Optional.empty());
    given(shipments.addIfAbsent(any())).willReturn(true);

    messaging.send(schedule("o-1", "de"));

    assertThat(messaging.published(ShipmentScheduled.class))
        .singleElement()
        .satisfies(
            scheduled -> {
              assertThat(scheduled.orderId()).isEqualTo("o-1");
              assertThat(scheduled.carrier()).isEqualTo(ShipmentCommands.CARRIER);
              assertThat(scheduled.trackingNumber()).matches("AS\\d{10}");
            });
  }

  @Test
  void anOrderThatAlreadyShipsIsNotScheduledAgain() {
    given(shipments.find("o-2")).willReturn(Optional.empty());
    given(shipments.addIfAbsent(any())).willReturn(true);

    InMemoryMessage command = messaging.send(schedule("o-2", "DE"));
    messaging.deliver(command);
    given(shipments.find("o-2"))
        .willReturn(
            Optional.of(
                new Shipment(
                    UUID.randomUUID(),
                    "o-2",
                    "AS0000000001",
                    ShipmentCommands.CARRIER,
                    new Address("Ada", "Main St 1", "Berlin", "10115", "DE"),
                    new BigDecimal("2.5"),
                    new BigDecimal("7.90"),
                    "EUR",
                    LocalDate.parse("2026-12-04"),
                    Instant.parse("2026-12-02T10:00:00Z"))));
    messaging.send(schedule("o-2", "DE"));

    then(shipments).should().addIfAbsent(any());
    assertThat(messaging.duplicatesSkipped(ScheduleShipment.class)).hasSize(1);
    assertThat(messaging.published(ShipmentScheduled.class)).hasSize(1);
  }

  @Test
  void aShipmentToNoCountryIsDeadLetteredWithoutRetries() {
    messaging.send(schedule("o-3", "Narnia"));

    assertThat(messaging.deadLettered(ScheduleShipment.class))
        .singleElement()
        .extracting(DeadLetteredMessage::reason, DeadLetteredMessage::attempts)
        .containsExactly(DeadLetterReason.NON_RETRYABLE, 1);
    then(shipments).should(never()).addIfAbsent(any());
  }

  private static ScheduleShipment schedule(String orderId, String country) {
    return new ScheduleShipment(
        orderId,
        new ScheduleShipment.Address("Ada", "Main St 1", "Berlin", "10115", country),
        new BigDecimal("2.5"));
  }
}
