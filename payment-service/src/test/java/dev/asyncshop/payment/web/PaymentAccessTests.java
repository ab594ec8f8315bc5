package dev.asyncshop.payment.web;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.payment.gateway.SimulatedOutage;
import dev.asyncshop.payment.payments.Payments;
import dev.asyncshop.testsupport.TestTokens;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

/** Who may do what here: every endpoint without a token, with a bad one and with each role. */
@WebMvcTest
@Import({SecurityConfiguration.class, AccessProblems.class, TestTokensConfiguration.class})
class PaymentAccessTests {

  @Autowired MockMvcTester mvc;

  @MockitoBean Payments payments;
  @MockitoBean SimulatedOutage outage;

  private static String as(String subject, String... roles) {
    return TOKENS.bearer(subject, roles);
  }

  @Test
  void withoutATokenOrWithABadOneItIsUnauthorizedAsAProblemDetail() {
    String expired = "Bearer " + TOKENS.token("sam", Duration.ofMinutes(-5), "STAFF");
    String forged = TestTokens.generate().bearer("sam", "STAFF");
    assertThat(mvc.get().uri("/payments/order-1").exchange())
        .hasStatus(401)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .containsHeader(HttpHeaders.WWW_AUTHENTICATE);
    for (String authorization : new String[] {expired, forged}) {
      assertThat(
              mvc.get()
                  .uri("/payments/order-1")
                  .header(HttpHeaders.AUTHORIZATION, authorization)
                  .exchange())
          .hasStatus(401);
    }
    verifyNoInteractions(payments);
  }

  @Test
  void customersAreForbiddenStaffAndOperatorsAreServed() {
    given(payments.find("order-1")).willThrow(new IllegalStateException("stubbed: served"));

    assertThat(
            mvc.get()
                .uri("/payments/order-1")
                .header(HttpHeaders.AUTHORIZATION, as("alice", "CUSTOMER"))
                .exchange())
        .hasStatus(403)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(
            mvc.head()
                .uri("/payments/order-1")
                .header(HttpHeaders.AUTHORIZATION, as("alice", "CUSTOMER"))
                .exchange())
        .hasStatus(403);
    verifyNoInteractions(payments);
    for (String authorization : new String[] {as("sam", "STAFF"), as("olivia", "OPS")}) {
      // Past the access rules: the stub's failure is the service's 500.
      assertThat(
              mvc.get()
                  .uri("/payments/order-1")
                  .header(HttpHeaders.AUTHORIZATION, authorization)
                  .exchange())
          .hasStatus(500);
    }
  }

  @Test
  void onlyOperatorsTakeTheGatewayDownOrBringItBack() {
    for (String authorization : new String[] {as("sam", "STAFF"), as("alice", "CUSTOMER")}) {
      assertThat(
              mvc.put()
                  .uri("/ops/gateway")
                  .header(HttpHeaders.AUTHORIZATION, authorization)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content("{\"failureRate\": 1.0}")
                  .exchange())
          .hasStatus(403);
      assertThat(
              mvc.get()
                  .uri("/ops/gateway")
                  .header(HttpHeaders.AUTHORIZATION, authorization)
                  .exchange())
          .hasStatus(403);
    }
    verifyNoInteractions(outage);
    given(outage.failureRate()).willReturn(1.0);

    assertThat(
            mvc.put()
                .uri("/ops/gateway")
                .header(HttpHeaders.AUTHORIZATION, as("olivia", "OPS"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"failureRate\": 1.0}")
                .exchange())
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.failureRate")
        .isEqualTo(1.0);
    then(outage).should().failureRate(1.0);
  }

  @Test
  void aFailureRateThatIsNoShareIsRefused() {
    for (String body : new String[] {"{\"failureRate\": 1.5}", "{\"failureRate\": -1}", "{}"}) {
      assertThat(
              mvc.put()
                  .uri("/ops/gateway")
                  .header(HttpHeaders.AUTHORIZATION, as("olivia", "OPS"))
                  .contentType(MediaType.APPLICATION_JSON)
                  .content(body)
                  .exchange())
          .as(body)
          .hasStatus(400)
          .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
    verifyNoInteractions(outage);
  }
}
