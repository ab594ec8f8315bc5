package dev.asyncshop.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.asyncapi.AsyncApiDocuments;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes payment-service's AsyncAPI document to {@code docs/asyncapi/}, from its {@code
 * application.yml} and its classes; no broker, database or context. The file changes only when a
 * route or a message record did.
 */
class AsyncApiDocumentTests {

  static final Path FILE = Path.of("..", "docs", "asyncapi", "payment-service.yaml");

  final Map<String, Object> document =
      AsyncApiDocuments.forApplication(PaymentServiceApplication.class);

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
            "receive.payment.authorize.v1",
            "receive.payment.refund.v1",
            "send.payment.authorized.v1",
            "send.payment.declined.v1",
            "send.payment.refunded.v1");
  }
}
