package dev.asyncshop.messaging.internal.asyncapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.asyncshop.messaging.internal.asyncapi.AsyncApiEndpoint.Format;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The endpoint is there when exposed, and describes the application it runs in. */
class AsyncApiAutoConfigurationTests {

  /** Stands for a service's {@code @SpringBootApplication}: its package holds the fixture. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  static class StockApplication {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  EndpointAutoConfiguration.class, AsyncApiAutoConfiguration.class))
          .withUserConfiguration(StockApplication.class)
          .withPropertyValues(
              "spring.application.name=stock-service",
              "messaging.destination-prefix=test.",
              "messaging.routes[0].type=stock.reserve.v1",
              "messaging.routes[0].kind=command",
              "messaging.routes[0].transport=rabbitmq",
              "messaging.routes[0].destination=stock.reserve");

  @Test
  void anExposedEndpointServesTheServicesDocumentAsJsonAndYaml() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=asyncapi")
        .run(
            context -> {
              AsyncApiEndpoint endpoint = context.getBean(AsyncApiEndpoint.class);
              JsonNode json = JsonMapper.builder().build().readTree(body(endpoint, Format.JSON));

              assertThat(json.at("/info/title").asString()).isEqualTo("stock-service");
              assertThat(json.at("/channels/stock.reserve/address").asString())
                  .isEqualTo("test.stock.reserve");
              assertThat(json.at("/operations/receive.stock.reserve.v1/action").asString())
                  .isEqualTo("receive");
              assertThat(body(endpoint, Format.YAML))
                  .startsWith("asyncapi: 3.0.0")
                  .contains("receive.stock.reserve.v1:");
            });
  }

  @Test
  void anEndpointThatIsNotExposedIsNotThere() {
    runner.run(context -> assertThat(context).doesNotHaveBean(AsyncApiEndpoint.class));
  }

  private static String body(AsyncApiEndpoint endpoint, Format format) {
    var response = endpoint.document(format);
    assertThat(response.getContentType()).isEqualTo(format.getProducedMimeType());
    return response.getBody();
  }
}
