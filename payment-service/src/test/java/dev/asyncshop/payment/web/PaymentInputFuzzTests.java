package dev.asyncshop.payment.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.payment.gateway.SimulatedOutage;
import dev.asyncshop.payment.payments.Payments;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Hostile order ids on payment-service's one endpoint: NUL, control characters, an unpaired
 * surrogate, encoded slashes and dot segments, huge ones. Every answer is a 4xx problem detail, and
 * none reaches the database.
 */
@WebMvcTest
@Import({
  PaymentWebTests.SignedIn.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class PaymentInputFuzzTests {

  private static final List<String> HOSTILE_IDS =
      List.of("%00", "order%00", "order%07", "%0A", "%ED%A0%80", "%2F..%2F", "x".repeat(5_000));

  @Autowired MockMvcTester mvc;

  @MockitoBean Payments payments;
  @MockitoBean SimulatedOutage outage;

  @Test
  void hostileOrderIdsAreRefused() {
    for (String id : HOSTILE_IDS) {
      assertRefused(mvc.get().uri("/payments/" + id).exchange(), id);
    }
    verifyNoInteractions(payments);
  }

  private static void assertRefused(MvcTestResult result, String what) {
    String shown = what.length() > 120 ? what.substring(0, 120) + "…(" + what.length() + ")" : what;
    assertThat(result.getResponse().getStatus()).as("status for %s", shown).isBetween(400, 499);
    assertThat(result.getResponse().getContentType())
        .as("content type for %s", shown)
        .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
  }
}
