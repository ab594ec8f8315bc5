package dev.asyncshop.order.web;

import static dev.asyncshop.testsupport.TestTokensConfiguration.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.TimelineEntry;
import dev.asyncshop.order.Totals;
import dev.asyncshop.order.placement.OrderPlacement;
import dev.asyncshop.order.placement.PlaceOrder;
import dev.asyncshop.order.placement.Placement;
import dev.asyncshop.order.reports.Reports;
import dev.asyncshop.order.tracking.OrderPage;
import dev.asyncshop.order.tracking.OrderQueries;
import dev.asyncshop.order.tracking.OrderStreams;
import dev.asyncshop.testsupport.TestTokens;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * Who may do what with orders: every endpoint without a token, with a bad one, with the wrong role,
 * and a customer reaching for another customer's order.
 */
@WebMvcTest
@Import({
  OrderAccessTests.Settings.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class OrderAccessTests {

  @TestConfiguration
  @EnableConfigurationProperties(ApiSettings.class)
  static class Settings {}

  private static final UUID ALICES = UUID.fromString("0b0e9a4c-52b5-4f6e-9d36-4f7d1f0c3a11");

  private static final String ORDER =
      """
      {"items": [{"sku": "MUG", "quantity": 2}],
       "shippingAddress": {"name": "Ada", "street": "Main St 1", "city": "Berlin",
                           "postalCode": "10115", "country": "DE"},
       "payment": {"cardToken": "tok_visa"}}
      """;

  @Autowired MockMvcTester mvc;

  @MockitoBean OrderPlacement placement;
  @MockitoBean OrderQueries queries;
  @MockitoBean OrderStreams streams;
  @MockitoBean Reports reports;

  private static String as(String subject, String... roles) {
    return TOKENS.bearer(subject, roles);
  }

  private MvcTestResult place(String authorization) {
    var request = mvc.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).content(ORDER);
    if (authorization != null) {
      request.header(HttpHeaders.AUTHORIZATION, authorization);
    }
    return request.exchange();
  }

  private MvcTestResult get(String uri, String authorization) {
    return mvc.get().uri(uri).header(HttpHeaders.AUTHORIZATION, authorization).exchange();
  }

  private static OrderView alicesOrder() {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    return new OrderView(
        ALICES,
        "alice",
        OrderStatus.PENDING,
        List.of(),
        new Totals(new BigDecimal("9.90"), new BigDecimal("4.90"), new BigDecimal("14.80"), "EUR"),
        new ShippingAddress("Alice", "Main St 1", "Berlin", "10115", "DE"),
        new BigDecimal("0.4"),
        null,
        at,
        at,
        List.of(new TimelineEntry(OrderStatus.PENDING, at, "Order placed")));
  }

  @Test
  void withoutATokenEveryEndpointIsUnauthorizedAsAProblemDetail() {
    for (MvcTestResult result :
        List.of(
            place(null),
            mvc.get().uri("/orders/{id}", ALICES).exchange(),
            mvc.get().uri("/orders").exchange(),
            mvc.get().uri("/orders/{id}/events", ALICES).exchange())) {
      assertThat(result)
          .hasStatus(401)
          .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .containsHeader(HttpHeaders.WWW_AUTHENTICATE)
          .bodyJson()
          .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Unauthorized"));
    }
    verifyNoInteractions(placement, queries);
    then(streams).should(never()).open(any(), anyLong(), any());
  }

  @Test
  void anExpiredTokenOrOneSignedByAnotherKeyIsUnauthorized() {
    String expired = "Bearer " + TOKENS.token("alice", Duration.ofMinutes(-5), "CUSTOMER");
    String forged = TestTokens.generate().bearer("alice", "CUSTOMER");

    assertThat(place(expired)).hasStatus(401);
    assertThat(place(forged)).hasStatus(401);
    assertThat(place("Bearer not-a-token")).hasStatus(401);
    assertThat(place("Bearer " + TOKENS.idToken("alice"))).hasStatus(401);
    verifyNoInteractions(placement);
  }

  @Test
  void onlyCustomersPlaceOrdersAndTheCustomerIsTheTokensSubject() {
    given(placement.place(any(), any()))
        .willReturn(CompletableFuture.completedFuture(new Placement(alicesOrder(), false)));

    assertThat(place(as("sam", "STAFF")))
        .hasStatus(403)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(place(as("alice", "CUSTOMER"))).hasStatus(202);

    ArgumentCaptor<PlaceOrder> placed = ArgumentCaptor.forClass(PlaceOrder.class);
    then(placement).should().place(placed.capture(), any());
    assertThat(placed.getValue().customerId()).isEqualTo("alice");
  }

  @Test
  void aCustomerReadsHerOwnOrderAndAnotherCustomersIsNotFound() {
    given(queries.require(ALICES)).willReturn(alicesOrder());

    assertThat(get("/orders/" + ALICES, as("alice", "CUSTOMER"))).hasStatusOk();
    // 404, not 403: a customer cannot tell someone else's order from one that does not exist.
    assertThat(get("/orders/" + ALICES, as("bob", "CUSTOMER")))
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(get("/orders/" + ALICES + "/events", as("bob", "CUSTOMER"))).hasStatus(404);
    then(streams).should(never()).open(any(), anyLong(), any());
  }

  @Test
  void staffAndOperatorsReadAnyOrder() {
    given(queries.require(ALICES)).willReturn(alicesOrder());

    assertThat(get("/orders/" + ALICES, as("sam", "STAFF"))).hasStatusOk();
    assertThat(get("/orders/" + ALICES, as("olivia", "OPS"))).hasStatusOk();
  }

  @Test
  void aCustomersListIsHerOwnAndNamingAnotherCustomerIsForbidden() {
    given(queries.page(eq("alice"), any(), eq(0), eq(20)))
        .willReturn(new OrderPage(List.of(), new OrderPage.PageMetadata(0, 20, 0, 0)));

    assertThat(get("/orders", as("alice", "CUSTOMER"))).hasStatusOk();
    assertThat(get("/orders?customerId=bob", as("alice", "CUSTOMER")))
        .hasStatus(403)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    then(queries).should().page(eq("alice"), any(), eq(0), eq(20));
  }

  @Test
  void aHeadRequestNeedsTheRoleOfItsGet() {
    given(queries.require(ALICES)).willReturn(alicesOrder());

    assertThat(mvc.head().uri("/orders/" + ALICES).exchange()).hasStatus(401);
    assertThat(
            mvc.head()
                .uri("/orders/" + ALICES)
                .header(HttpHeaders.AUTHORIZATION, as("prometheus", "MONITORING"))
                .exchange())
        .hasStatus(403);
  }

  @Test
  void aTokenWithoutAnyShopRoleReadsNothing() {
    assertThat(get("/orders/" + ALICES, as("monitoring", "MONITORING"))).hasStatus(403);
    verifyNoInteractions(queries);
  }
}
