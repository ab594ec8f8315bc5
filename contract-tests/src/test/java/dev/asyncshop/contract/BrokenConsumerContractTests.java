package dev.asyncshop.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.contract.fixture.BrokenConsumers;
import dev.asyncshop.messaging.MessagingProperties.Route;
import dev.asyncshop.messaging.internal.asyncapi.AsyncApiDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The contract checks fail the build for a consumer that drifted from its producer: {@link
 * BrokenConsumers} joins the suite's committed documents, and each way it drifted is reported.
 */
class BrokenConsumerContractTests {

  static final List<String> PROBLEMS = problemsWith(brokenConsumer());

  @Test
  void aRenamedRequiredFieldIsReported() {
    assertThat(PROBLEMS)
        .contains(
            "shipping.schedule.v1: broken-consumer needs 'weight', which order-service does not"
                + " send");
  }

  @Test
  void aFieldOfAnotherTypeIsReported() {
    assertThat(PROBLEMS)
        .contains(
            "inventory.reserve.v1: broken-consumer reads 'orderId' as integer, but order-service"
                + " sends string",
            "inventory.reserve.v1: broken-consumer reads 'lines' as object, but order-service"
                + " sends array");
  }

  @Test
  void aWholeNumberWhereTheProducerSendsAnyNumberIsReported() {
    assertThat(PROBLEMS)
        .contains(
            "payment.authorize.v1: broken-consumer reads 'amount' as integer, but order-service"
                + " sends number");
  }

  @Test
  void anEnumThatDoesNotCoverTheProducersValuesIsReported() {
    assertThat(PROBLEMS)
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith(
                        "order.cancelled.v1: broken-consumer reads 'status' as one of [REJECTED,"
                            + " CANCELLED], but order-service may also send")
                    .contains("CONFIRMED"));
  }

  @Test
  void aQueryReplyTheAskerReadsDifferentlyIsReported() {
    assertThat(PROBLEMS)
        .contains(
            "shipping.quote.reply.v1: broken-consumer reads 'etaDays' as string, but"
                + " shipping-service sends integer");
  }

  @Test
  void aConsumerThatAgreesWithItsProducerIsNotReported() {
    assertThat(PROBLEMS)
        .hasSize(6)
        .noneMatch(problem -> problem.startsWith("payment.refund.v1"))
        .noneMatch(problem -> problem.startsWith("shipping.quote.v1"));
  }

  private static ServiceDocument brokenConsumer() {
    Map<String, Object> routes = new LinkedHashMap<>();
    route(routes, 0, "shipping.schedule.v1", "command", "shipping.schedule");
    route(routes, 1, "inventory.reserve.v1", "command", "inventory.reserve");
    route(routes, 2, "payment.authorize.v1", "command", "payment.authorize");
    route(routes, 3, "order.cancelled.v1", "event", "orders.events");
    route(routes, 4, "payment.refund.v1", "command", "payment.refund");
    route(routes, 5, "shipping.quote.v1", "query", "shipping.quote");
    List<Route> bound =
        new Binder(new MapConfigurationPropertySource(routes))
            .bind("messaging.routes", Bindable.listOf(Route.class))
            .get();
    // Through YAML and back, as the committed documents are read.
    return ServiceDocument.parse(
        AsyncApiDocuments.toYaml(
            AsyncApiDocuments.of("broken-consumer", bound, BrokenConsumers.class)));
  }

  private static void route(
      Map<String, Object> routes, int index, String type, String kind, String destination) {
    String prefix = "messaging.routes[" + index + "].";
    routes.put(prefix + "type", type);
    routes.put(prefix + "kind", kind);
    routes.put(prefix + "transport", kind.equals("event") ? "kafka" : "rabbitmq");
    routes.put(prefix + "destination", destination);
  }

  private static List<String> problemsWith(ServiceDocument broken) {
    List<ServiceDocument> documents = new ArrayList<>(ContractTests.DOCUMENTS.values());
    documents.add(broken);
    return Contracts.problems(documents);
  }
}
