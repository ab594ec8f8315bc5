package dev.asyncshop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Paging a list merged from several services, one message a page: each service is asked for the
 * newest messages up to the page's end, and the page is cut from their merge.
 */
@SpringBootTest(properties = "console.page-size=1")
@AutoConfigureMockMvc
class ConsolePagingTests {

  static final ServicesStub STUB = new ServicesStub("payment", "shipping");

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry properties) {
    for (String service : new String[] {"order", "inventory", "payment", "shipping"}) {
      properties.add("console.services." + service, () -> STUB.url(service));
    }
    properties.add("console.authorization.client-secret", () -> "console-secret");
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class InThisJvm {

    @Bean
    @Primary
    ClientHttpRequestFactory stubbedServices() {
      return STUB;
    }
  }

  @Autowired MockMvc mvc;

  @BeforeEach
  void recorded() {
    STUB.reset();
    STUB.answer("GET", "/inventory/ops/dead-letters", 200, "inventory-page.json")
        .answer("GET", "/order/ops/dead-letters", 200, "order-page.json");
  }

  @Test
  void theSecondPageIsTheSecondNewestOfAllServices() throws Exception {
    String page = page(1);

    // inv-2 (10:15) is the newest, ord-1 (09:30) the second, inv-1 (09:00) the third.
    assertThat(page)
        .contains("/dead-letters/order/ord-1")
        .doesNotContain("/dead-letters/inventory/inv-2", "/dead-letters/inventory/inv-1")
        .contains("Page 2 of 3", "rel=\"prev\"", "rel=\"next\"");
    assertThat(STUB.requests())
        .extracting(ServicesStub.Request::query)
        .containsOnly("state=PARKED&page=0&size=2");
    // payment and shipping do not answer; the page still shows the others and says so.
    assertThat(page).contains("payment: Not reachable", "shipping: Not reachable");
  }

  @Test
  void aPageDeeperThanTheMergeReachesAsksToChooseOneService() throws Exception {
    assertThat(page(500))
        .contains("choose one service to page further")
        .contains("Nothing matches.");
  }

  private String page(int page) throws Exception {
    return mvc.perform(
            get("/dead-letters")
                .param("page", "" + page)
                .with(
                    oidcLogin()
                        .idToken(token -> token.subject("olivia"))
                        .authorities(new SimpleGrantedAuthority("ROLE_OPS"))))
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }
}
