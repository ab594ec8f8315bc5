package dev.asyncshop.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.asyncapi.AsyncApiDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes order-service's AsyncAPI document to {@code docs/asyncapi/}, from its {@code
 * application.yml} and its classes; no broker, database or context. The file changes only when a
 * route or a message record did.
 */
class AsyncApiDocumentTests {

  static final Path FILE = Path.of("..", "docs", "asyncapi", "order-service.yaml");

  final Map<String, Object> document =
      AsyncApiDocuments.forApplication(OrderServiceApplication.class);

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
            "receive.inventory.product-state.v1",
            "receive.inventory.rejected.v1",
            "receive.inventory.released.v1",
            "receive.inventory.reserved.v1",
            "receive.order.cancelled.v1",
            "receive.order.confirmed.v1",
            "receive.order.paid.v1",
            "receive.order.placed.v1",
            "receive.order.reserved.v1",
            "receive.order.shipped.v1",
            "receive.order.status-changed.v1",
            "receive.payment.authorized.v1",
            "receive.payment.declined.v1",
            "receive.payment.refunded.v1",
            "receive.shipment.scheduled.v1",
            "receive.shipping.tariff.v1",
            "send.inventory.release.v1",
            "send.inventory.reserve.v1",
            "send.order.answer-recorded.v1",
            "send.order.cancelled.v1",
            "send.order.confirmed.v1",
            "send.order.paid.v1",
            "send.order.placed.v1",
            "send.order.reserved.v1",
            "send.order.shipped.v1",
            "send.order.status-changed.v1",
            "send.payment.authorize.v1",
            "send.payment.refund.v1",
            "send.shipping.quote.v1",
            "send.shipping.schedule.v1");
    assertThat((Map<String, Object>) document.get("operations"))
        .extractingByKey("receive.order.placed.v1")
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("x-projections", java.util.List.of("customer-orders", "product-sales"))
        .doesNotContainKey("bindings");
  }
}
