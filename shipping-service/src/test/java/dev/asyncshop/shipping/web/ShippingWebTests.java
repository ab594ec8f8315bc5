package dev.asyncshop.shipping.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.asyncshop.shipping.shipment.Address;
import dev.asyncshop.shipping.shipment.Shipment;
import dev.asyncshop.shipping.shipment.Shipments;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * shipping-service's HTTP API alone: the shipment controller and the problem details, with the
 * shipments stubbed. No broker, no database.
 */
@WebMvcTest
@Import({
  ShippingWebTests.SignedIn.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class ShippingWebTests {

  /**
   * Every request of these tests is signed in as a member of staff; ShippingAccessTests tries the
   * others.
   */
  @TestConfiguration
  static class SignedIn {
    @Bean
    MockMvcBuilderCustomizer bearerToken() {
      return builder ->
          builder.defaultRequest(
              MockMvcRequestBuilders.get("/")
                  .header(
                      HttpHeaders.AUTHORIZATION,
                      TestTokensConfiguration.TOKENS.bearer("sam", "STAFF")));
    }
  }

  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static final Shipment SCHEDULED =
      new Shipment(
          UUID.randomUUID(),
          "order-1",
          "AS0123456789",
          "DHL",
          new Address("Ada", "Main St 1", "Berlin", "10115", "DE"),
          new BigDecimal("0.4"),
          new BigDecimal("7.90"),
          "EUR",
          LocalDate.of(2026, 12, 3),
          AT);

  @Autowired MockMvcTester mvc;

  @MockitoBean Shipments shipments;

  @Test
  void aShipmentIsServedAsJson() {
    given(shipments.find("order-1")).willReturn(Optional.of(SCHEDULED));

    assertThat(mvc.get().uri("/shipments/order-1").exchange())
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.orderId")
        .isEqualTo("order-1");
  }

  @Test
  void anUnknownShipmentIsNotFoundAndNamesTheOrder() {
    given(shipments.find("no-such-order")).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/shipments/no-such-order").exchange())
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Unknown shipment"))
        .hasPathSatisfying("$.orderId", id -> assertThat(id).isEqualTo("no-such-order"));
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorThatKeepsItsDetailsToItself() {
    given(shipments.find("order-1")).willThrow(new IllegalStateException("connection pool secret"));

    MvcTestResult result = mvc.get().uri("/shipments/order-1").exchange();

    assertThat(result)
        .hasStatus(500)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Internal error");
    assertThat(result).bodyText().doesNotContain("secret");
  }

  @Test
  void anUnknownPathIsANotFoundProblem() {
    assertThat(mvc.get().uri("/nowhere").exchange())
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  /** The slice leaves common-messaging's auto-configuration, and with it every broker, out. */
  @Test
  void theSliceHoldsNoMessagingNoBrokerClientAndNoDatabase(@Autowired ApplicationContext context) {
    assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
    assertThat(Arrays.stream(context.getBeanDefinitionNames()).map(context::getType))
        .filteredOn(Objects::nonNull)
        .extracting(Class::getName)
        .noneMatch(
            type ->
                Stream.of(
                        "dev.asyncshop.messaging.",
                        "org.springframework.amqp.",
                        "org.springframework.kafka.",
                        "org.springframework.data.redis.",
                        "org.springframework.jdbc.")
                    .anyMatch(type::startsWith));
  }
}
