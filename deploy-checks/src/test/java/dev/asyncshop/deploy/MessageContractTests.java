package dev.asyncshop.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the autoscaler checks take from the services' AsyncAPI documents. */
class MessageContractTests {

  final MessageContract contract = MessageContract.read();

  @Test
  void eachServiceReceivesFromTheQueuesOfItsCommandsAndQueries() {
    assertThat(contract.queues())
        .containsOnlyKeys("inventory-service", "payment-service", "shipping-service")
        .containsEntry("inventory-service", Set.of("inventory.release", "inventory.reserve"))
        .containsEntry("shipping-service", Set.of("shipping.quote", "shipping.schedule"));
  }

  @Test
  void orderServiceConsumesTheOtherServicesEventsInItsOwnGroup() {
    assertThat(contract.topics())
        .containsOnlyKeys("order-service")
        .containsEntry(
            "order-service", Set.of("inventory.events", "payments.events", "shipping.events"));
    assertThat(contract.groups())
        .containsExactlyEntriesOf(Map.of("order-service", "order-service"));
  }

  @Test
  void orderServiceKeepsTablesOfTheCompactedTopicsAndReadModelsOfItsEventsWithoutAGroup() {
    assertThat(contract.tables())
        .containsExactlyEntriesOf(
            Map.of("order-service", Set.of("inventory.products", "shipping.tariff")));
    assertThat(contract.compacted())
        .containsExactlyInAnyOrder("inventory.products", "shipping.tariff");
    assertThat(contract.projections())
        .containsExactlyEntriesOf(Map.of("order-service", Set.of("orders.events")));
    assertThat(contract.published())
        .containsEntry("inventory-service", Set.of("inventory.events", "inventory.products"))
        .containsEntry("shipping-service", Set.of("shipping.events", "shipping.tariff"));
  }

  @Test
  void ordersEventsKeepsEveryEventForeverForReadModelsRebuiltFromItsStart() {
    assertThat(contract.retention()).containsExactlyEntriesOf(Map.of("orders.events", -1L));
    assertThat(contract.published()).containsEntry("order-service", Set.of("orders.events"));
  }
}
