package dev.asyncshop.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.asyncapi.AsyncApiDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes inventory-service's AsyncAPI document to {@code docs/asyncapi/}, from its {@code
 * application.yml} and its classes; no broker, database or context. The file changes only when a
 * route or a message record did.
 */
class AsyncApiDocumentTests {

  static final Path FILE = Path.of("..", "docs", "asyncapi", "inventory-service.yaml");

  final Map<String, Object> document =
      AsyncApiDocuments.forApplication(InventoryServiceApplication.class);

  @Test
  void theBuildWritesTheDocumentOfTheServicesRoutesAndRecords() {
    AsyncApiDocuments.writeYaml(document, FILE);

    assertThat(FILE).content().isEqualTo(AsyncApiDocuments.toYaml(document));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDocumentHasAnOperationForEveryMessageTheServiceSendsOrHandles() {
    assertThat((Map<String, Object>) document.get("operations"))
        .containsOnlyKeys(
            "receive.inventory.release.v1",
            "receive.inventory.reserve.v1",
            "send.inventory.product-state.v1",
            "send.inventory.rejected.v1",
            "send.inventory.released.v1",
            "send.inventory.reserved.v1",
            "send.stock.changed.v1");
  }
}
