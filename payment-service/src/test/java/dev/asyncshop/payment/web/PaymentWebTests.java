package dev.asyncshop.payment.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;

import dev.asyncshop.payment.gateway.SimulatedOutage;
import dev.asyncshop.payment.payments.Payment;
import dev.asyncshop.payment.payments.PaymentStatus;
import dev.asyncshop.payment.payments.Payments;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.time.Instant;
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
 * payment-service's HTTP API alone: the payment controller and the problem details, with the
 * payments stubbed. No broker, no database.
 */
@WebMvcTest
@Import({
  PaymentWebTests.SignedIn.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class PaymentWebTests {

  /**
   * Every request of these tests is signed in as a member of staff; PaymentAccessTests tries the
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

  private static final Payment AUTHORIZED =
      new Payment(
          UUID.randomUUID(),
          "order-1",
          "c-1",
          PaymentStatus.AUTHORIZED,
          new BigDecimal("14.80"),
          "EUR",
          null,
          null,
          AT,
          null);

  @Autowired MockMvcTester mvc;

  @MockitoBean Payments payments;
  @MockitoBean SimulatedOutage outage;

  @Test
  void aPaymentIsServedAsJson() {
    given(payments.find("order-1")).willReturn(Optional.of(AUTHORIZED));

    assertThat(mvc.get().uri("/payments/order-1").exchange())
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.orderId")
        .isEqualTo("order-1");
  }

  @Test
  void anUnknownPaymentIsNotFoundAndNamesTheOrder() {
    given(payments.find("no-such-order")).willReturn(Optional.empty());

    assertThat(mvc.get().uri("/payments/no-such-order").exchange())
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Unknown payment"))
        .hasPathSatisfying("$.orderId", id -> assertThat(id).isEqualTo("no-such-order"));
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorThatKeepsItsDetailsToItself() {
    given(payments.find("order-1")).willThrow(new IllegalStateException("connection pool secret"));

    MvcTestResult result = mvc.get().uri("/payments/order-1").exchange();

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
