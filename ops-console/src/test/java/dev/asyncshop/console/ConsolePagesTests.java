package dev.asyncshop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Client;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.asyncshop.console.services.Services;
import java.time.Instant;
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
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The console's pages against a stub of the services' HTTP APIs, reached in this JVM: what each
 * page shows, what each action sends, and how every refusal reads. Logged in as the operator
 * olivia, whose access token the stub must receive on every call.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConsolePagesTests {

  static final ServicesStub STUB = new ServicesStub("shipping");
  static final String TOKEN = "olivia-access-token";

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry properties) {
    properties.add("console.services.order", () -> STUB.url("order"));
    properties.add("console.services.inventory", () -> STUB.url("inventory"));
    properties.add("console.services.payment", () -> STUB.url("payment"));
    properties.add("console.services.shipping", () -> STUB.url("shipping"));
    properties.add("console.authorization.client-secret", () -> "console-secret");
  }

  /** The services are reached in this JVM: the page tests need no network. */
  @TestConfiguration(proxyBeanMethods = false)
  static class InThisJvm {

    @Bean
    @Primary
    ClientHttpRequestFactory stubbedServices() {
      return STUB;
    }
  }

  @Autowired MockMvc mvc;
  @Autowired ClientRegistrationRepository registrations;

  @BeforeEach
  void reset() {
    STUB.reset();
  }

  @Test
  void theOverviewShowsEachServicesHealthParkedMessagesAndBacklogs() throws Exception {
    STUB.answer("GET", "/inventory/actuator/health", 200, "health-up.json")
        .answer("GET", "/inventory/actuator/prometheus", 200, "prometheus.txt")
        .answer("GET", "/order/actuator/health", 503, "health-down.json")
        .answer("GET", "/order/actuator/prometheus", 200, "prometheus.txt");

    mvc.perform(get("/").with(olivia()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("id=\"service-inventory\""),
                        // parked 1 + 1 + 0, queue depth 3 + 2 (NaN left out), lag 7, backlog 4
                        containsString("<td class=\"number parked\">2</td>"),
                        containsString("<td class=\"number\">5</td>"),
                        containsString("<td class=\"number\">7</td>"),
                        containsString("<td class=\"number\">4</td>"),
                        containsString("<span class=\"DOWN\">DOWN</span>"),
                        containsString("rabbit"),
                        // payment answers nothing the stub knows; shipping is not running
                        containsString("payment — Health: payment: Not Found"),
                        containsString("shipping — Health: shipping: Not reachable"),
                        containsString("Is it running?"))));

    assertThat(STUB.requests())
        .isNotEmpty()
        .allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN));
  }

  @Test
  void theAuditTimelineComesFromTheAuditTrailProjectionOfOrderService() throws Exception {
    STUB.answer("GET", "/order/ops/audit/order-9", 200, "audit-steps.json");

    String page =
        mvc.perform(get("/audit").param("correlationId", "order-9").with(olivia()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("2 records of order-9, from every service, from the audit-trail projection of")
        .contains("order-service", "inventory-service", "PUBLISHED", "HANDLED", "alice");
    assertThat(page.indexOf("PUBLISHED")).isLessThan(page.indexOf("HANDLED"));
    assertThat(STUB.requests("GET", "/order/ops/audit/order-9"))
        .singleElement()
        .satisfies(request -> assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN));
  }

  @Test
  void theParkingLotMergesTheServicesNewestFirstAndCountsByReason() throws Exception {
    STUB.answer("GET", "/inventory/ops/dead-letters", 200, "inventory-page.json")
        .answer("GET", "/order/ops/dead-letters", 200, "order-page.json")
        .answer("GET", "/payment/ops/dead-letters", 200, "payment-page.json");

    String page =
        mvc.perform(get("/dead-letters").with(olivia()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("<strong>3</strong> matching")
        .contains("order 1", "inventory 2", "payment 0")
        .contains(">POISON</a> <span>1</span>", ">RETRIES_EXHAUSTED</a> <span>1</span>")
        .contains(">SIGNATURE_INVALID</a> <span>1</span>")
        .contains("shipping: Not reachable");
    assertThat(page.indexOf("/dead-letters/inventory/inv-2"))
        .isLessThan(page.indexOf("/dead-letters/order/ord-1"));
    assertThat(page.indexOf("/dead-letters/order/ord-1"))
        .isLessThan(page.indexOf("/dead-letters/inventory/inv-1"));
    assertThat(STUB.requests("GET", "/inventory/ops/dead-letters"))
        .singleElement()
        .satisfies(request -> assertThat(request.query()).isEqualTo("state=PARKED&page=0&size=25"));
  }

  @Test
  void aFilterGoesToTheChosenServiceAlone() throws Exception {
    STUB.answer("GET", "/inventory/ops/dead-letters", 200, "inventory-page.json");

    mvc.perform(
            get("/dead-letters")
                .param("service", "inventory")
                .param("transport", "RabbitMQ")
                .param("reason", "POISON")
                .param("correlationId", "order+7")
                .param("page", "1")
                .with(olivia()))
        .andExpect(status().isOk());

    assertThat(STUB.requests()).hasSize(1);
    assertThat(STUB.requests().get(0).query())
        .isEqualTo(
            "state=PARKED&transport=rabbitmq&reason=POISON&correlationId=order%2B7&page=1&size=25");
  }

  @Test
  void aMessagePageShowsItsEnvelopePayloadHeadersStackAndLineage() throws Exception {
    STUB.answer("GET", "/inventory/ops/dead-letters/inv-2", 200, "inventory-message.json");

    mvc.perform(get("/dead-letters/inventory/inv-2").with(olivia()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                        containsString("<dt>principal</dt><dd>alice</dd>"),
                        containsString("two of SKU-002"),
                        containsString("<textarea name=\"payload\""),
                        containsString("x-first-death-queue"),
                        containsString("ConsumerPipeline.process"),
                        containsString("1 time(s), last by olivia"),
                        containsString("by olivia at 2026-12-03T10:19:00Z"))));
  }

  @Test
  void anEncryptedPayloadIsShownAsSuchAndCannotBeEdited() throws Exception {
    STUB.answer("GET", "/payment/ops/dead-letters/pay-9", 200, "encrypted-message.json");

    mvc.perform(get("/dead-letters/payment/pay-9").with(olivia()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("<strong>encrypted</strong>"),
                        not(containsString("<textarea")),
                        containsString(">Replay</button>"))));
  }

  @Test
  void anEditThatDoesNotFitShowsTheRefusalBesideTheOperatorsText() throws Exception {
    STUB.answer("GET", "/inventory/ops/dead-letters/inv-2", 200, "inventory-message.json")
        .answer("PUT", "/inventory/ops/dead-letters/inv-2/payload", 422, "invalid-edit.json");

    mvc.perform(
            post("/dead-letters/inventory/inv-2/payload")
                .param("payload", "{\"orderId\": \"order-7\", \"lines\": \"still wrong\"}")
                .param("then", "replay")
                .with(olivia())
                .with(csrf()))
        .andExpect(status().isUnprocessableContent())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString(
                            "inventory: The edit does not fit. The payload does not fit"
                                + " inventory.reserve.v1: lines must be a list. Correct the JSON"),
                        containsString("still wrong"))));

    assertThat(STUB.requests("PUT", "/inventory/ops/dead-letters/inv-2/payload"))
        .singleElement()
        .satisfies(
            request ->
                assertThat(request.body())
                    .isEqualTo("{\"orderId\": \"order-7\", \"lines\": \"still wrong\"}"));
    assertThat(STUB.requests("POST", "/inventory/ops/dead-letters")).isEmpty();
  }

  @Test
  void anEditThatFitsIsSavedAndReplayed() throws Exception {
    STUB.answer("PUT", "/inventory/ops/dead-letters/inv-2/payload", 200, "inventory-message.json")
        .answer("POST", "/inventory/ops/dead-letters/inv-2/replay", 200, "replayed.json");

    mvc.perform(
            post("/dead-letters/inventory/inv-2/payload")
                .param("payload", "{\"orderId\":\"order-7\",\"lines\":[]}")
                .param("then", "replay")
                .with(olivia())
                .with(csrf()))
        .andExpect(redirectedUrl("/dead-letters/inventory/inv-2"))
        .andExpect(
            flash().attribute("notice", "Payload saved. Replayed: its handler ran and succeeded"));

    assertThat(STUB.requests())
        .extracting(ServicesStub.Request::method)
        .containsExactly("PUT", "POST");
  }

  @Test
  void aReplaySomeoneElseGotToFirstIsRefusedInWords() throws Exception {
    STUB.answer("POST", "/inventory/ops/dead-letters/inv-1/replay", 409, "state-changed.json");

    mvc.perform(post("/dead-letters/inventory/inv-1/replay").with(olivia()).with(csrf()))
        .andExpect(redirectedUrl("/dead-letters/inventory/inv-1"))
        .andExpect(
            flash()
                .attribute(
                    "problem",
                    allOf(
                        containsString("inventory: Someone else got there first"),
                        containsString("replayed by sam"),
                        containsString("reload it to see its lineage"))));
  }

  @Test
  void aPurgeGoesBackToTheListSayingSo() throws Exception {
    STUB.answer("DELETE", "/inventory/ops/dead-letters/inv-1", 200, "purged.json");

    mvc.perform(post("/dead-letters/inventory/inv-1/purge").with(olivia()).with(csrf()))
        .andExpect(redirectedUrl("/dead-letters"))
        .andExpect(flash().attribute("notice", "inv-1: Purged"));
  }

  @Test
  void aMessageAServiceDoesNotHaveIsAPageThatSaysSo() throws Exception {
    STUB.answer("GET", "/inventory/ops/dead-letters/gone", 404, "not-found.json");

    mvc.perform(get("/dead-letters/inventory/gone").with(olivia()))
        .andExpect(status().isNotFound())
        .andExpect(
            content()
                .string(
                    containsString(
                        "inventory: No such parked message. No parked message has id gone")));
  }

  @Test
  void aBulkReplayListsWhatItWouldTouchAndThenTouchesExactlyThat() throws Exception {
    STUB.answer("POST", "/inventory/ops/dead-letters/replay", 200, "bulk-dry-run.json");

    mvc.perform(
            post("/dead-letters/bulk/replay")
                .param("service", "inventory")
                .param("state", "PARKED")
                .param("reason", "POISON")
                .with(olivia())
                .with(csrf()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .string(
                    allOf(
                        containsString("Dry run: replay would touch"),
                        containsString("/dead-letters/inventory/inv-2"),
                        containsString("name=\"message\" value=\"inventory/inv-2\""))));
    assertThat(STUB.requests("POST", "/inventory/ops/dead-letters/replay"))
        .singleElement()
        .satisfies(
            request ->
                assertThat(request.body())
                    .contains("\"filter\":{\"state\":\"PARKED\",\"reason\":\"POISON\"}")
                    .contains("\"dryRun\":true"));

    STUB.reset();
    STUB.answer("POST", "/inventory/ops/dead-letters/replay", 200, "bulk-done.json");
    mvc.perform(
            post("/dead-letters/bulk/replay/confirm")
                .param("message", "inventory/inv-2")
                .with(olivia())
                .with(csrf()))
        .andExpect(status().isOk())
        .andExpect(
            content().string(containsString("Replayed, failed again and parked again: POISON")));
    assertThat(STUB.requests("POST", "/inventory/ops/dead-letters/replay"))
        .singleElement()
        .satisfies(
            request ->
                assertThat(request.body())
                    .contains("\"ids\":[\"inv-2\"]")
                    .contains("\"dryRun\":false"));
  }

  @Test
  void aServiceTheConsoleDoesNotKnowIsNotFound() throws Exception {
    mvc.perform(get("/dead-letters/billing/1").with(olivia())).andExpect(status().isNotFound());
  }

  /** Olivia, logged in with her access token, which the console must relay. */
  private RequestPostProcessor olivia() {
    ClientRegistration registration = registrations.findByRegistrationId(Services.REGISTRATION);
    RequestPostProcessor login =
        oidcLogin()
            .clientRegistration(registration)
            .idToken(token -> token.subject("olivia"))
            .authorities(new SimpleGrantedAuthority("ROLE_OPS"));
    RequestPostProcessor token =
        oauth2Client(Services.REGISTRATION)
            .clientRegistration(registration)
            .principalName("olivia")
            .accessToken(
                new OAuth2AccessToken(
                    OAuth2AccessToken.TokenType.BEARER,
                    TOKEN,
                    Instant.now(),
                    Instant.now().plusSeconds(3600)));
    return request -> token.postProcessRequest(login.postProcessRequest(request));
  }
}
