package dev.asyncshop.order.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.LocalTables;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.catalogue.LocalCatalogue;
import dev.asyncshop.order.catalogue.LocalTariff;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OrderPlacementTests {

  /** Tables that have not read their topics to the end yet. */
  static final LocalTables LOADING =
      new LocalTables() {
        @Override
        public boolean caughtUp(String messageType) {
          return false;
        }

        @Override
        public boolean allCaughtUp() {
          return false;
        }
      };

  @Test
  void anOrderIsRefusedWithARetryHintUntilTheCatalogueHasCaughtUp() {
    OrderPlacement placement =
        new OrderPlacement(
            null,
            new LocalCatalogue(LOADING),
            new LocalTariff(LOADING),
            null,
            null,
            null,
            null,
            JsonMapper.builder().build(),
            Clock.systemUTC(),
            null,
            null,
            new PlacementSettings(64, 3));
    try {
      CompletableFuture<Placement> placed =
          placement.place(
              new PlaceOrder(
                  "c-1",
                  List.of(new PlaceOrder.Item("MUG", 1)),
                  new ShippingAddress("Ada", "Main St 1", "Berlin", "10115", "DE"),
                  "tok_visa"),
              null);

      assertThat(placed)
          .failsWithin(java.time.Duration.ofSeconds(1))
          .withThrowableThat()
          .havingCause()
          .isInstanceOfSatisfying(
              CatalogueNotReadyException.class,
              e -> assertThat(e.retryAfterSeconds()).isEqualTo(3));
    } finally {
      placement.destroy();
    }
  }
}
