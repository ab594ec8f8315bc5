package dev.asyncshop.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

import dev.asyncshop.testsupport.ServiceTestProperties;
import dev.asyncshop.testsupport.TestNames;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The running service serves its AsyncAPI document at {@code /actuator/asyncapi}, with the
 * addresses it really uses (here behind the test run's destination prefix).
 */
@SpringBootTest(webEnvironment = RANDOM_PORT)
@AutoConfigureRestTestClient
@DirtiesContext
class AsyncApiEndpointIntegrationTests {

  static final String PREFIX = TestNames.unique("asyncapi") + ".";

  @DynamicPropertySource
  static void brokers(DynamicPropertyRegistry registry) {
    ServiceTestProperties.register(registry, "shipping", PREFIX);
  }

  @Autowired RestTestClient http;

  @Test
  void servesItsDocumentAsJson() {
    http.get()
        .uri("/actuator/asyncapi")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
        .expectBody()
        .jsonPath("$.asyncapi")
        .isEqualTo("3.0.0")
        .jsonPath("$.info.title")
        .isEqualTo("shipping-service")
        .jsonPath("$.channels['shipping.schedule'].address")
        .isEqualTo(PREFIX + "shipping.schedule")
        .jsonPath("$.operations['receive.shipping.quote.v1'].reply")
        .exists()
        .jsonPath("$.operations['send.shipment.scheduled.v1'].action")
        .isEqualTo("send");
  }

  @Test
  void servesItsDocumentAsYamlWhenAskedFor() {
    String yaml =
        http.get()
            .uri("/actuator/asyncapi")
            .accept(MediaType.parseMediaType("application/yaml"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

    assertThat(yaml).startsWith("asyncapi: 3.0.0").contains("shipping.quote.reply.v1:");
  }
}
