package dev.asyncshop.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The services' committed AsyncAPI documents ({@code docs/asyncapi/}, rewritten by each service's
 * own tests earlier in the build) against each other: every message that crosses services, query
 * replies included, is read by its consumers as its producers send it.
 */
class ContractTests {

  static final Map<String, ServiceDocument> DOCUMENTS = ServiceDocument.committed();
  static final Map<String, MessageFlow> FLOWS = MessageFlow.of(DOCUMENTS.values());

  @Test
  void everyServiceHasADocument() {
    assertThat(DOCUMENTS)
        .containsOnlyKeys(
            "order-service", "inventory-service", "payment-service", "shipping-service");
  }

  @Test
  void everyConsumerNeedsOnlyWhatItsProducersSend() {
    assertThat(Contracts.problems(DOCUMENTS.values())).isEmpty();
  }

  @Test
  void everyMessageThatCrossesServicesIsChecked() {
    Set<String> crossing =
        FLOWS.values().stream()
            .filter(MessageFlow::crossesServices)
            .map(MessageFlow::type)
            .collect(Collectors.toSet());

    assertThat(crossing)
        .contains(
            "inventory.reserve.v1",
            "payment.authorize.v1",
            "shipping.schedule.v1",
            "inventory.reserved.v1",
            "payment.declined.v1",
            "shipment.scheduled.v1",
            "shipping.quote.v1",
            "shipping.quote.reply.v1",
            "inventory.product-state.v1",
            "shipping.tariff.v1")
        .hasSizeGreaterThanOrEqualTo(16);
  }

  @Test
  void everyMessageAServiceReceivesFromAnotherIsSentBySomeService() {
    Set<String> unsent =
        FLOWS.values().stream()
            .filter(flow -> !flow.consumers().isEmpty() && flow.producers().isEmpty())
            .map(flow -> flow.type() + " (received by " + flow.consumers().keySet() + ")")
            .collect(Collectors.toSet());

    assertThat(unsent).isEmpty();
  }

  @Test
  void queryRepliesGoFromTheAnsweringServiceToTheAsker() {
    MessageFlow reply = FLOWS.get("shipping.quote.reply.v1");

    assertThat(reply.producers()).containsExactly("shipping-service");
    assertThat(reply.consumers()).containsOnlyKeys("order-service");
  }
}
