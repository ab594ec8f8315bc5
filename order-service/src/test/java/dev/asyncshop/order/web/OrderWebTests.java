package dev.asyncshop.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.messaging.QueryTimeoutException;
import dev.asyncshop.order.OrderStatus;
import dev.asyncshop.order.OrderView;
import dev.asyncshop.order.ShippingAddress;
import dev.asyncshop.order.TimelineEntry;
import dev.asyncshop.order.Totals;
import dev.asyncshop.order.placement.CatalogueNotReadyException;
import dev.asyncshop.order.placement.IdempotencyKeyReusedException;
import dev.asyncshop.order.placement.OrderPlacement;
import dev.asyncshop.order.placement.Placement;
import dev.asyncshop.order.placement.PlacementsBusyException;
import dev.asyncshop.order.placement.ShippingUnpricedException;
import dev.asyncshop.order.placement.UnknownSkusException;
import dev.asyncshop.order.reports.Reports;
import dev.asyncshop.order.tracking.OrderNotFoundException;
import dev.asyncshop.order.tracking.OrderQueries;
import dev.asyncshop.order.tracking.OrderStreams;
import dev.asyncshop.order.tracking.StatusSink;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * order-service's HTTP API alone: its controllers, the body size limit and the problem details,
 * with placement, the order queries and the live streams stubbed. No broker, no database.
 */
@WebMvcTest
@Import({
  OrderWebTests.Settings.class,
  OrderWebTests.SignedIn.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class OrderWebTests {

  /**
   * Every request of these tests is signed in as a customer, the one whose order the tests read;
   * OrderAccessTests tries the others.
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
                      TestTokensConfiguration.TOKENS.bearer("c-1", "CUSTOMER")));
    }
  }

  /** Binds the API's settings, which the slice does not scan for. */
  @TestConfiguration
  @EnableConfigurationProperties(ApiSettings.class)
  static class Settings {}

  private static final UUID ID = UUID.fromString("0b0e9a4c-52b5-4f6e-9d36-4f7d1f0c3a11");

  private static final String VALID =
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

  private MvcTestResult post(String body) {
    return mvc.post()
        .uri("/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static OrderView pending() {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    return new OrderView(
        ID,
        "c-1",
        OrderStatus.PENDING,
        List.of(),
        new Totals(new BigDecimal("9.90"), new BigDecimal("4.90"), new BigDecimal("14.80"), "EUR"),
        new ShippingAddress("Ada", "Main St 1", "Berlin", "10115", "DE"),
        new BigDecimal("0.4"),
        null,
        at,
        at,
        List.of(new TimelineEntry(OrderStatus.PENDING, at, "Order placed")));
  }

  @Test
  void aPlacedOrderIsAcceptedWithItsLocation() {
    given(placement.place(any(), isNull()))
        .willReturn(CompletableFuture.completedFuture(new Placement(pending(), false)));

    assertThat(post(VALID))
        .hasStatus(202)
        .hasHeader(HttpHeaders.LOCATION, "/orders/" + ID)
        .hasHeader("Idempotent-Replayed", "false")
        .bodyJson()
        .extractingPath("$.status")
        .isEqualTo("PENDING");
  }

  @Test
  void anInvalidOrderIsABadRequestThatNamesTheInvalidFieldAndPlacesNothing() {
    assertThat(post(VALID.replace("\"quantity\": 2", "\"quantity\": 0")))
        .hasStatus(400)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Invalid request"))
        .hasPathSatisfying(
            "$.errors[0].field", field -> assertThat(field).isEqualTo("items[0].quantity"));
    verifyNoInteractions(placement);
  }

  @Test
  void anEmptyIdempotencyKeyIsABadRequestThatNamesTheHeader() {
    assertThat(
            mvc.post()
                .uri("/orders")
                .contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "")
                .content(VALID)
                .exchange())
        .hasStatus(400)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("idempotencyKey");
    verifyNoInteractions(placement);
  }

  @Test
  void aBodyThatIsNotJsonIsAnUnreadableRequestBody() {
    assertThat(post("{\"items\": [oops"))
        .hasStatus(400)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Unreadable request body");
  }

  @Test
  void aBodyThatIsNotJsonByItsTypeIsAnUnsupportedMediaType() {
    assertThat(
            mvc.post()
                .uri("/orders")
                .contentType(MediaType.TEXT_PLAIN)
                .content("customer c wants a mug")
                .exchange())
        .hasStatus(415)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void aBodyOverTheLimitIsContentTooLarge() {
    assertThat(post(VALID.replace("Ada", "x".repeat(17 * 1024))))
        .hasStatus(413)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Request body too large");
    verifyNoInteractions(placement);
  }

  @Test
  void unknownSkusAreUnprocessableAndNamed() {
    given(placement.place(any(), isNull()))
        .willReturn(CompletableFuture.failedFuture(new UnknownSkusException(List.of("NOPE-1"))));

    assertThat(post(VALID))
        .hasStatus(422)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Unknown products"))
        .hasPathSatisfying("$.unknownSkus[0]", sku -> assertThat(sku).isEqualTo("NOPE-1"));
  }

  @Test
  void aReusedIdempotencyKeyIsUnprocessableAndNamesNoOrder() {
    given(placement.place(any(), eq("key-1"))).willThrow(new IdempotencyKeyReusedException());

    MvcTestResult result =
        mvc.post()
            .uri("/orders")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Idempotency-Key", "key-1")
            .content(VALID)
            .exchange();

    assertThat(result)
        .hasStatus(422)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Idempotency-Key reused with a different body");
    assertThat(result).bodyText().doesNotContain(ID.toString());
  }

  @Test
  void aBusyInstanceIsUnavailableAndSaysWhenToComeBack() {
    given(placement.place(any(), isNull()))
        .willReturn(CompletableFuture.failedFuture(new PlacementsBusyException(64, 2)));

    assertThat(post(VALID))
        .hasStatus(503)
        .hasHeader(HttpHeaders.RETRY_AFTER, "2")
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Too many orders being placed");
  }

  @Test
  void aCatalogueStillLoadingIsUnavailableAndSaysWhenToComeBack() {
    given(placement.place(any(), isNull()))
        .willReturn(CompletableFuture.failedFuture(new CatalogueNotReadyException(1)));

    assertThat(post(VALID))
        .hasStatus(503)
        .hasHeader(HttpHeaders.RETRY_AFTER, "1")
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Catalogue not loaded yet");
  }

  @Test
  void shippingPricedNeitherByQuoteNorByTariffIsUnavailableAndNamesWhy() {
    given(placement.place(any(), isNull()))
        .willReturn(
            CompletableFuture.failedFuture(
                new ShippingUnpricedException(
                    "Shipping cannot be priced: the live quote failed (no answer in time) and no"
                        + " published tariff prices it (none is held yet, or it has no rate for"
                        + " DE)",
                    1,
                    new QueryTimeoutException("No answer within 3 s"))));

    assertThat(post(VALID))
        .hasStatus(503)
        .hasHeader(HttpHeaders.RETRY_AFTER, "1")
        .bodyJson()
        .hasPathSatisfying(
            "$.title", title -> assertThat(title).isEqualTo("Shipping cannot be priced"))
        .hasPathSatisfying(
            "$.detail",
            detail ->
                assertThat(detail).asString().contains("no answer in time", "no published tariff"));
  }

  @Test
  void aServiceThatDoesNotAnswerInTimeIsAGatewayTimeout() {
    given(placement.place(any(), isNull()))
        .willReturn(
            CompletableFuture.failedFuture(new QueryTimeoutException("No answer within 3 s")));

    assertThat(post(VALID))
        .hasStatus(504)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("A service did not answer in time");
  }

  @Test
  void anOrderIsServedAsJson() {
    given(queries.require(ID)).willReturn(pending());

    assertThat(mvc.get().uri("/orders/{id}", ID).exchange())
        .hasStatusOk()
        .bodyJson()
        .extractingPath("$.totals.total")
        .isEqualTo(14.80);
  }

  @Test
  void anUnknownOrderIsNotFound() {
    given(queries.require(ID)).willThrow(new OrderNotFoundException(ID));

    assertThat(mvc.get().uri("/orders/{id}", ID).exchange())
        .hasStatus(404)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .hasPathSatisfying("$.title", title -> assertThat(title).isEqualTo("Order not found"))
        .hasPathSatisfying("$.detail", detail -> assertThat(detail).isEqualTo("No order " + ID));
  }

  @Test
  void anIdThatIsNoUuidIsABadRequest() {
    assertThat(mvc.get().uri("/orders/not-a-uuid").exchange())
        .hasStatus(400)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void pagingOutOfBoundsIsABadRequestThatNamesTheParameter() {
    assertThat(mvc.get().uri("/orders?size=101").exchange())
        .hasStatus(400)
        .bodyJson()
        .extractingPath("$.errors[0].field")
        .isEqualTo("size");
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorThatKeepsItsDetailsToItself() {
    given(queries.require(ID)).willThrow(new IllegalStateException("connection pool secret"));

    MvcTestResult result = mvc.get().uri("/orders/{id}", ID).exchange();

    assertThat(result)
        .hasStatus(500)
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Internal error");
    assertThat(result).bodyText().doesNotContain("secret");
  }

  @Test
  void aDatabaseThatWentAwayIsServiceUnavailableWithRetryAfter() {
    given(queries.require(ID))
        .willThrow(new DataAccessResourceFailureException("terminating connection"));

    MvcTestResult result = mvc.get().uri("/orders/{id}", ID).exchange();

    assertThat(result)
        .hasStatus(503)
        .hasHeader("Retry-After", "5")
        .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .bodyJson()
        .extractingPath("$.title")
        .isEqualTo("Database unavailable");
    assertThat(result).bodyText().doesNotContain("terminating");
  }

  @Test
  void anOrdersStepsAreServerSentEventsNamedStatusWithTheStepAsId() {
    given(queries.require(ID)).willReturn(pending());
    given(streams.streamTimeout()).willReturn(Duration.ofMinutes(1));
    willAnswer(
            call -> {
              StatusSink sink = call.getArgument(2);
              sink.send(
                  1, new TimelineEntry(OrderStatus.SHIPPED, Instant.EPOCH, "Shipment scheduled"));
              sink.complete();
              return (OrderStreams.Subscription) () -> {};
            })
        .given(streams)
        .open(eq(ID), anyLong(), any());

    assertThat(
            mvc.get().uri("/orders/{id}/events", ID).accept(MediaType.TEXT_EVENT_STREAM).exchange())
        .hasStatusOk()
        .bodyText()
        .contains("id:1", "event:status", "\"status\":\"SHIPPED\"");
  }

  @Test
  void anUnknownOrdersEventsAreNotFound() {
    given(queries.require(ID)).willThrow(new OrderNotFoundException(ID));

    assertThat(
            mvc.get().uri("/orders/{id}/events", ID).accept(MediaType.TEXT_EVENT_STREAM).exchange())
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
