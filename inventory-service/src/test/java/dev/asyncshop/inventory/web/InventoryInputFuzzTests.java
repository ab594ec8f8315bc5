package dev.asyncshop.inventory.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import dev.asyncshop.inventory.stock.Catalogue;
import dev.asyncshop.inventory.stock.Stock;
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
 * Hostile input to every parameter and body of inventory-service's API: SKUs with NUL, control
 * characters and unpaired surrogates, huge ones; stock levels of the wrong type, fractions, past
 * the limits; malformed, nested and oversized bodies; wrong content types. Every answer is a 4xx
 * problem detail, and nothing reaches the stock, so nothing changes.
 */
@WebMvcTest
@Import({
  InventoryWebTests.SignedIn.class,
  StrictJson.class,
  SecurityConfiguration.class,
  AccessProblems.class,
  TestTokensConfiguration.class
})
class InventoryInputFuzzTests {

  private static final List<String> HOSTILE_SKUS =
      List.of("%00", "SKU%00", "SKU%07", "%0A", "%ED%A0%80", "%2F..%2F", "x".repeat(5_000));

  private static final List<String> HOSTILE_LEVELS =
      List.of(
          "-1",
          "2147483648",
          "9223372036854775808",
          "1e400",
          "1.5",
          "\"50\"",
          "\"fifty\"",
          "true",
          "null",
          "[]",
          "{}",
          "[50]");

  @Autowired MockMvcTester mvc;

  @MockitoBean Catalogue catalogue;
  @MockitoBean Stock stock;

  @Test
  void hostileSkusAreRefused() {
    for (String sku : HOSTILE_SKUS) {
      assertRefused(mvc.get().uri("/products/" + sku).exchange(), "GET " + sku);
      assertRefused(
          mvc.put()
              .uri("/products/" + sku + "/stock")
              .contentType(MediaType.APPLICATION_JSON)
              .content("{\"quantity\": 5}")
              .exchange(),
          "PUT " + sku);
    }
    verifyNoInteractions(stock);
  }

  @Test
  void hostileStockLevelsAndBodiesAreRefused() {
    for (String level : HOSTILE_LEVELS) {
      assertRefused(put(MediaType.APPLICATION_JSON, "{\"quantity\": " + level + "}"), level);
    }
    for (String body :
        List.of(
            "",
            "quantity=5",
            "{\"quantity\": 5",
            "[{\"quantity\": 5}]",
            "5",
            "null",
            "[".repeat(100_000) + "]".repeat(100_000),
            "{\"quantity\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}",
            "{\"note\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}")) {
      assertRefused(put(MediaType.APPLICATION_JSON, body), body);
    }
    assertRefused(put(MediaType.TEXT_PLAIN, "{\"quantity\": 5}"), "text/plain");
    assertRefused(put(MediaType.APPLICATION_XML, "<quantity>5</quantity>"), "application/xml");
    verifyNoInteractions(stock);
  }

  private MvcTestResult put(MediaType type, String body) {
    return mvc.put().uri("/products/SKU-008/stock").contentType(type).content(body).exchange();
  }

  private static void assertRefused(MvcTestResult result, String what) {
    String shown = what.length() > 120 ? what.substring(0, 120) + "…(" + what.length() + ")" : what;
    assertThat(result.getResponse().getStatus()).as("status for %s", shown).isBetween(400, 499);
    assertThat(result.getResponse().getContentType())
        .as("content type for %s", shown)
        .startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
  }
}
