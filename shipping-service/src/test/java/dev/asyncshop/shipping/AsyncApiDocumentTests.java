package dev.asyncshop.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.asyncapi.AsyncApiDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes shipping-service's AsyncAPI document to {@code docs/asyncapi/}, from its {@code
 * application.yml} and its classes; no broker, database or context. The file changes only when a
 * route or a message record did.
 */
class AsyncApiDocumentTests {

  static final Path FILE = Path.of("..", "docs", "asyncapi", "shipping-service.yaml");

  final Map<String, Object> document =
      AsyncApiDocuments.forApplication(ShippingServiceApplication.class);

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
            "receive.shipping.quote.v1",
            "receive.shipping.schedule.v1",
            "send.shipment.scheduled.v1",
            "send.shipping.tariff.v1");
  }
}
