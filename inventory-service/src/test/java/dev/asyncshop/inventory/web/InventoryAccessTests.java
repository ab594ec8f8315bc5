package dev.asyncshop.inventory.web;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.inventory.stock.Catalogue;
import dev.asyncshop.inventory.stock.Stock;
import dev.asyncshop.testsupport.TestTokens;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
class InventoryAccessTests {

  @Autowired MockMvcTester mvc;

  @MockitoBean Catalogue catalogue;
  @MockitoBean Stock stock;

  private static String as(String subject, String... roles) {
    return TOKENS.bearer(subject, roles);
  }

  @Test
  void withoutATokenOrWithABadOneEveryEndpointIsUnauthorizedAsAProblemDetail() {
    String expired = "Bearer " + TOKENS.token("olivia", Duration.ofMinutes(-5), "OPS");
    String forged = TestTokens.generate().bearer("olivia", "OPS");
    for (String authorization : new String[] {null, expired, forged}) {
      var list = mvc.get().uri("/products");
      var one = mvc.get().uri("/products/SKU-001");
      var put =
          mvc.put()
              .uri("/products/SKU-001/stock")
              .contentType(MediaType.APPLICATION_JSON)
              .content("{\"quantity\": 5}");
      if (authorization != null) {
        list.header(HttpHeaders.AUTHORIZATION, authorization);
        one.header(HttpHeaders.AUTHORIZATION, authorization);
        put.header(HttpHeaders.AUTHORIZATION, authorization);
      }
      for (var request : List.of(list, one, put)) {
        assertThat(request.exchange())
            .hasStatus(401)
            .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .containsHeader(HttpHeaders.WWW_AUTHENTICATE);
      }
    }
    verifyNoInteractions(catalogue, stock);
  }

  @Test
  void anyoneSignedInBrowsesTheCatalogue() {
    given(catalogue.all()).willReturn(List.of());

    assertThat(
            mvc.get()
                .uri("/products")
                .header(HttpHeaders.AUTHORIZATION, as("alice", "CUSTOMER"))
                .exchange())
        .hasStatusOk();
  }

  @Test
  void monitoringReadsNoCatalogue() {
    assertThat(
            mvc.get()
                .uri("/products")
                .header(HttpHeaders.AUTHORIZATION, as("prometheus", "MONITORING"))
                .exchange())
        .hasStatus(403);
    verifyNoInteractions(catalogue);
  }

  @Test
  void onlyOperatorsChangeStock() {
    for (String authorization : new String[] {as("alice", "CUSTOMER"), as("sam", "STAFF")}) {
      assertThat(
              mvc.put()
                  .uri("/products/SKU-001/stock")
                  .header(HttpHeaders.AUTHORIZATION, authorization)
                  .contentType(MediaType.APPLICATION_JSON)
                  .content("{\"quantity\": 5}")
                  .exchange())
          .hasStatus(403)
          .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
    verifyNoInteractions(stock);
    given(catalogue.find("SKU-001")).willReturn(Optional.empty());

    // Past the access rules: the product is then looked up, and this one is unknown.
    assertThat(
            mvc.put()
                .uri("/products/SKU-001/stock")
                .header(HttpHeaders.AUTHORIZATION, as("olivia", "OPS"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"quantity\": 5}")
                .exchange())
        .hasStatus(404);
  }
}
