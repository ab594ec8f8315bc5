package dev.asyncshop.order.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.order.placement.OrderPlacement;
import dev.asyncshop.order.reports.Reports;
import dev.asyncshop.order.tracking.OrderQueries;
import dev.asyncshop.order.tracking.OrderStreams;
import dev.asyncshop.testsupport.TestTokensConfiguration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile input to every parameter and body field of order-service's API: wrong types, empty,
 * blank, NUL and other control characters, unpaired surrogates, huge strings, numbers at and past
 * the limits, deep nesting, oversized bodies, wrong content types. Every answer is a 4xx problem
 * detail, and nothing reaches placement, so nothing is stored.
 */
@WebMvcTest
@Import({
  OrderWebTests.Settings.class,
  OrderInputFuzzTests.SignedIn.class,
  StrictJson.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class OrderInputFuzzTests {

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

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String VALID =
      """
      {"items": [{"sku": "MUG", "quantity": 2}],
       "shippingAddress": {"name": "Ada", "street": "Main St 1", "city": "Berlin",
                           "postalCode": "10115", "country": "DE"},
       "payment": {"cardToken": "tok_visa"}}
      """;

  /** Every text field of the body, as a path of names (a number is an array index). */
  private static final List<List<Object>> TEXT_FIELDS =
      List.of(
          List.of("items", 0, "sku"),
          List.of("shippingAddress", "name"),
          List.of("shippingAddress", "street"),
          List.of("shippingAddress", "city"),
          List.of("shippingAddress", "postalCode"),
          List.of("shippingAddress", "country"),
          List.of("payment", "cardToken"));

  /** Raw JSON values no text field takes. */
  private static final List<String> HOSTILE_TEXT =
      List.of(
          "\"\"",
          "\"   \"",
          "\"\\u0000\"",
          "\"MUG\\u0000\"",
          "\"a\\u0007b\"",
          "\"line\\nbreak\"",
          "\"\\ud800\"",
          "\"x\\udc00\"",
          "\"" + "x".repeat(5_000) + "\"",
          "123",
          "1e400",
          "true",
          "null",
          "[]",
          "{}",
          "[\"MUG\"]");

  /** Raw JSON values the quantity does not take. */
  private static final List<String> HOSTILE_QUANTITIES =
      List.of(
          "0",
          "-1",
          "1001",
          "2147483648",
          "-2147483649",
          "9223372036854775808",
          "1e400",
          "1.5",
          "\"2\"",
          "\"two\"",
          "true",
          "null",
          "[]",
          "{}");

  @Autowired MockMvcTester mvc;

  @MockitoBean OrderPlacement placement;
  @MockitoBean OrderQueries queries;
  @MockitoBean OrderStreams streams;
  @MockitoBean Reports reports;

  @Test
  void everyTextFieldRefusesEveryHostileValue() {
    List<String> bodies = new ArrayList<>();
    for (List<Object> field : TEXT_FIELDS) {
      for (String value : HOSTILE_TEXT) {
        bodies.add(with(field, value));
      }
    }
    bodies.forEach(body -> assertRefused(post(MediaType.APPLICATION_JSON, body), body));
    verifyNoInteractions(placement);
  }

  @Test
  void theQuantityRefusesEveryHostileValue() {
    for (String value : HOSTILE_QUANTITIES) {
      String body = with(List.of("items", 0, "quantity"), value);
      assertRefused(post(MediaType.APPLICATION_JSON, body), body);
    }
    verifyNoInteractions(placement);
  }

  @Test
  void malformedWrongTypedNestedOrOversizedBodiesAreRefused() {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("empty", "");
    bodies.put("not JSON", "items=MUG");
    bodies.put("cut short", VALID.substring(0, VALID.length() / 2));
    bodies.put("an array", "[" + VALID + "]");
    bodies.put("a string", "\"order\"");
    bodies.put("null", "null");
    bodies.put("no items", VALID.replace("[{\"sku\": \"MUG\", \"quantity\": 2}]", "[]"));
    bodies.put("a null item", VALID.replace("[{\"sku\": \"MUG\", \"quantity\": 2}]", "[null]"));
    bodies.put(
        "51 items",
        VALID.replace(
            "[{\"sku\": \"MUG\", \"quantity\": 2}]",
            "[" + String.join(",", java.util.Collections.nCopies(51, "{\"sku\": \"MUG\"}")) + "]"));
    bodies.put("nested 100,000 deep", "[".repeat(100_000) + "]".repeat(100_000));
    bodies.put(
        "nested 5,000 deep in a field",
        VALID.replace("\"tok_visa\"", "[".repeat(5_000) + "]".repeat(5_000)));
    bodies.put("5 MB", "{\"items\": [\"" + "x".repeat(5 * 1024 * 1024) + "\"]}");
    bodies.forEach((what, body) -> assertRefused(post(MediaType.APPLICATION_JSON, body), what));
    assertRefused(post(MediaType.TEXT_PLAIN, VALID), "text/plain");
    assertRefused(post(MediaType.APPLICATION_XML, "<order/>"), "application/xml");
    assertRefused(post(MediaType.APPLICATION_FORM_URLENCODED, "items=MUG"), "a form");
    verifyNoInteractions(placement);
  }

  @Test
  void hostileIdempotencyKeysAreRefused() {
    for (String key : List.of("", "a\u0001b", "x".repeat(201))) {
      assertRefused(
          mvc.post()
              .uri("/orders")
              .header("Idempotency-Key", key)
              .contentType(MediaType.APPLICATION_JSON)
              .content(VALID)
              .exchange(),
          "Idempotency-Key " + key.length());
    }
    verifyNoInteractions(placement);
  }

  @Test
  void hostileParametersAndPathsAreRefused() {
    List<String> uris =
        List.of(
            "/orders?customerId=c-1%00",
            "/orders?customerId=" + "c".repeat(101),
            "/orders?status=LOST",
            "/orders?status=%00",
            "/orders?page=-1",
            "/orders?page=x",
            "/orders?page=99999999999",
            "/orders?size=0",
            "/orders?size=101",
            "/orders/not-a-uuid",
            "/orders/%00",
            "/orders/0b0e9a4c-52b5-4f6e-9d36-4f7d1f0c3a11%00",
            "/orders/not-a-uuid/events");
    for (String uri : uris) {
      assertRefused(mvc.get().uri(uri).exchange(), uri);
    }
    verifyNoInteractions(queries, streams);
  }

  private MvcTestResult post(MediaType type, String body) {
    return mvc.post().uri("/orders").contentType(type).content(body).exchange();
  }

  /** The valid body with the field at the path replaced by a raw JSON value. */
  private static String with(List<Object> path, String rawValue) {
    String marker = "\"__value__\"";
    ObjectNode root = (ObjectNode) JSON.readTree(VALID);
    var node = (tools.jackson.databind.JsonNode) root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    Object last = path.get(path.size() - 1);
    ((ObjectNode) node).put((String) last, "__value__");
    return JSON.writeValueAsString(root).replace(marker, rawValue);
  }

  private static void assertRefused(MvcTestResult result, String what) {
    int status = result.getResponse().getStatus();
    assertThat(status).as("status for %s", abbreviate(what)).isBetween(400, 499);
    assertThat(result.getResponse().getContentType())
        .as("content type for %s", abbreviate(what))
        .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…(" + text.length() + ")" : text;
  }
}
